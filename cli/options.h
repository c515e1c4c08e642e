#pragma once
// Option parsing shared by every subcommand, the way Marian users know it:
// `-c/--config FILE...` reads YAML files whose keys are the long option names
// (several files merge in order, a later one overriding an earlier one; the
// command line wins over all of them), and `--dump-config` prints the
// effective configuration as YAML and exits. A misspelt option is answered
// with the nearest real one.

#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

namespace nmt::cli {

namespace po = boost::program_options;

struct CommandSpec {
  std::string name;     // e.g. "bleu"
  std::string usage;    // e.g. "nmt bleu -r REF [-r REF ...] [-i HYP] [options]"
  std::string summary;  // one paragraph shown under the usage line
};

// Parses args (and the config files they name) into vm and runs the options'
// notifiers, so values restricted to a set of choices are checked before any
// data is read. Returns false when --help or --dump-config was asked for (its
// text printed to stdout): the command should then exit 0. Throws po::error for
// unknown or malformed options (with a "did you mean" hint), nmt::Error naming
// file and line for a bad config file.
// e.what() without Boost's endless placeholder loop on values holding "%value%".
std::string option_error_text(const po::error& e);

// adjust_defaults, when given, may change the values of options left at
// their defaults once the command line and config files are read (defaults
// that depend on another option), before --dump-config prints them.
bool parse_command_line(const CommandSpec& spec, po::options_description& options,
                        const po::positional_options_description* positional,
                        const std::vector<std::string>& args, po::variables_map& vm,
                        const std::function<void(po::variables_map&)>& adjust_defaults = {});

// A string option that must take one of `choices`, e.g.
//   ("optimizer", choice(&method, "optimizer", {"adam", "sgd"})->default_value("adam"), ...)
// The help shows the choices; any other value fails parse_command_line with a
// message listing them.
po::typed_value<std::string>* choice(std::string* target, const std::string& option,
                                     const std::vector<std::string>& choices);

// The effective configuration (command line over config files over defaults)
// as YAML with one key per option of `options` that has a value: what
// --dump-config prints, and what a training run stores in its model.
std::string effective_config_yaml(const po::variables_map& vm, const po::options_description& options);

// "--beam-size" for "--beam-szie": the long option of `options` nearest to
// `typed` (dashes ignored), or "" when none is close enough to be a typo.
std::string nearest_option(const std::string& typed, const po::options_description& options);

// Numeric options out of range are bad usage (po::error, exit 2), refused
// before any data is read: "--learning-rate must be > 0, got -1". A NaN fails
// every range (its comparisons are false).
void require_option(bool in_range, const std::string& option, const std::string& rule, double value);
void require_at_least(double value, double minimum, const std::string& option);

// --threads: 0 (all cores) or 1..kMaxThreads; more makes no sense on any
// machine and would exhaust the OpenMP runtime.
constexpr int kMaxThreads = 1024;
void require_threads(int threads, const std::string& option = "threads");

// Refuses an output file that is the input file (the same path, a link to it,
// or another name of it): opening it for writing would empty it before it is
// read. "-" (stdin, stdout) and outputs that do not exist yet always pass.
void refuse_same_file(const std::string& input, const std::string& input_option, const std::string& output,
                      const std::string& output_option);

}  // namespace nmt::cli
