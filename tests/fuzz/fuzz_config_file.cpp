// The YAML config files of the command line (-c/--config FILE), read through
// parse_command_line as every subcommand reads them, against options of each
// kind the subcommands declare (numbers, switches, choices, lists, required
// and implicit values).
//
// Checked: a bad file is refused with po::error or nmt::Error, the errors the
// command line turns into a message and exit status 2 or 1; nothing else
// escapes (a yaml-cpp or boost::any exception would end nmt with a message
// that names neither file nor line). A file that is accepted prints, through
// --dump-config's effective_config_yaml(), a configuration that reads back to
// the same configuration.

#include <cstdint>
#include <string>
#include <vector>

#include "cli/options.h"
#include "memory_file.h"
#include "nmt/core/error.h"

namespace {

namespace po = boost::program_options;

struct Values {
  std::string model, input, length_penalty, alignment;
  std::vector<std::string> references, metrics;
  int beam_size = 0, threads = 0;
  long batch_tokens = 0;
  unsigned seed = 0;
  float alpha = 0;
  double learning_rate = 0;
  bool quiet = false, lowercase = false;
};

po::options_description options_of(Values& v) {
  using nmt::cli::choice;
  po::options_description options("Options");
  options.add_options()
      ("model,m", po::value(&v.model)->required(), "")
      ("input,i", po::value(&v.input)->default_value("-"), "")
      ("beam-size,b", po::value(&v.beam_size)->default_value(1), "")
      ("length-penalty", choice(&v.length_penalty, "length-penalty", {"wu", "avg", "none"})->default_value("wu"), "")
      ("alignment", choice(&v.alignment, "alignment", {"hard", "soft"})->implicit_value("hard"), "")
      ("alpha", po::value(&v.alpha)->default_value(0.6f, "0.6"), "")
      ("learning-rate", po::value(&v.learning_rate)->default_value(1e-3), "")
      ("batch-tokens", po::value(&v.batch_tokens)->default_value(0), "")
      ("seed", po::value(&v.seed)->default_value(1), "")
      ("threads", po::value(&v.threads)->default_value(0), "")
      ("reference,r", po::value(&v.references)->multitoken()->composing(), "")
      ("metrics", po::value(&v.metrics)->multitoken()->default_value({"bleu"}, "bleu"), "")
      ("quiet", po::bool_switch(&v.quiet), "")
      ("lowercase", po::value(&v.lowercase)->default_value(false), "");
  return options;
}

// The effective configuration of a config file, or false when it is refused.
bool read_config(const std::string& path, std::string& dumped) {
  Values values;
  auto options = options_of(values);
  po::variables_map vm;
  const nmt::cli::CommandSpec spec{"fuzz", "nmt fuzz [options]", ""};
  try {
    if (!nmt::cli::parse_command_line(spec, options, nullptr, {"-c", path}, vm)) return false;
  } catch (const po::error&) {
    return false;
  } catch (const nmt::Error&) {
    return false;
  }
  dumped = nmt::cli::effective_config_yaml(vm, options);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static nmt::fuzz::MemoryFile memory;
  std::string dumped;
  if (!read_config(memory.write(nmt::fuzz::as_text(data, size)), dumped)) return 0;
  std::string again;
  NMT_FUZZ_CHECK(read_config(memory.write(dumped), again));
  NMT_FUZZ_CHECK(again == dumped);
  return 0;
}
