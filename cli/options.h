#pragma once
// Option parsing shared by every subcommand: --help, and --config FILE with
// INI-style `name = value` lines (command line wins over the file).

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace nmt::cli {

namespace po = boost::program_options;

struct CommandSpec {
  std::string name;     // e.g. "bleu"
  std::string usage;    // e.g. "nmt bleu -r REF [-r REF ...] [-i HYP] [options]"
  std::string summary;  // one paragraph shown under the usage line
};

// Parses args into vm. Returns false when --help was asked for (help printed to stdout).
// Throws po::error for unknown or malformed options, nmt::Error for an unreadable config.
bool parse_command_line(const CommandSpec& spec, po::options_description& options,
                        const po::positional_options_description* positional,
                        const std::vector<std::string>& args, po::variables_map& vm);

}  // namespace nmt::cli
