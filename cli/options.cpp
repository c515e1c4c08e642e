#include "options.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "config_yaml.h"

namespace nmt::cli {

namespace {

// Optimal string alignment distance: an adjacent swap ("szie") counts as one
// edit, the commonest typo.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string without_leading_dashes(const std::string& name) {
  const std::size_t start = name.find_first_not_of('-');
  return start == std::string::npos ? "" : name.substr(start);
}

std::string join(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

// Shortest form: 0.005, -1, nan.
std::string format_number(double value) { return fmt::format("{}", value); }

}  // namespace

std::string nearest_option(const std::string& typed, const po::options_description& options) {
  const std::string name = without_leading_dashes(typed.substr(0, typed.find('=')));
  if (name.empty()) return "";
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& option : options.options()) {
    const std::string& candidate = option->long_name();
    if (candidate.empty()) continue;
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // Closer than a third of the name: "--beam" -> "--beam-size" is a guess, not a typo.
  const std::size_t allowed = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3));
  return best_distance <= allowed ? "--" + best : "";
}

po::typed_value<std::string>* choice(std::string* target, const std::string& option,
                                     const std::vector<std::string>& choices) {
  return po::value(target)->value_name(join(choices, "|"))->notifier([option, choices](const std::string& value) {
    if (std::find(choices.begin(), choices.end(), value) == choices.end())
      throw po::error("--" + option + " '" + value + "' is not one of: " + join(choices, ", "));
  });
}

namespace {

// Boost 1.74's error_with_option_name::what() substitutes placeholders until
// none is left, so a value reading "%value%" never ends (and "x%value%" grows
// without bound): the message is made with the values' '%' hidden.
class OptionErrorText : public po::error_with_option_name {
 public:
  explicit OptionErrorText(const po::error_with_option_name& e) : po::error_with_option_name(e) {}
  std::string text() {
    constexpr char kHidden = '\x1f';
    for (auto& entry : m_substitutions) std::replace(entry.second.begin(), entry.second.end(), '%', kHidden);
    std::string message = what();
    std::replace(message.begin(), message.end(), kHidden, '%');
    return message;
  }
};

}  // namespace

std::string option_error_text(const po::error& e) {
  if (const auto* named = dynamic_cast<const po::error_with_option_name*>(&e)) return OptionErrorText(*named).text();
  return e.what();
}

bool parse_command_line(const CommandSpec& spec, po::options_description& options,
                        const po::positional_options_description* positional,
                        const std::vector<std::string>& args, po::variables_map& vm,
                        const std::function<void(po::variables_map&)>& adjust_defaults) {
  po::options_description generic("General options");
  generic.add_options()
      ("help,h", "print this help and exit")
      ("config,c", po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("FILE..."),
       "read options from YAML files (`beam-size: 5`, long option names as keys); a later file "
       "overrides an earlier one, and the command line overrides them all")
      ("dump-config", "print the effective configuration as YAML and exit");
  po::options_description all;
  all.add(options).add(generic);

  auto parser = po::command_line_parser(args).options(all);
  if (positional) parser.positional(*positional);
  try {
    po::store(parser.run(), vm);
  } catch (const po::unknown_option& e) {
    const std::string hint = nearest_option(e.get_option_name(), all);
    throw po::error("unknown option " + e.get_option_name() + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  } catch (const po::error_with_option_name& e) {
    throw po::error(option_error_text(e));
  }

  if (vm.count("help")) {
    std::cout << "Usage: " << spec.usage << "\n\n" << spec.summary << "\n\n" << all << "\n";
    return false;
  }
  if (vm.count("config")) {
    // The first value stored wins, so files go in from the last to the first.
    const auto files = vm["config"].as<std::vector<std::string>>();
    for (auto file = files.rbegin(); file != files.rend(); ++file) store_config_file(*file, options, vm);
  }
  if (adjust_defaults) adjust_defaults(vm);
  if (vm.count("dump-config")) {
    std::cout << effective_config_yaml(vm, options);
    return false;
  }
  po::notify(vm);
  return true;
}

void require_option(bool in_range, const std::string& option, const std::string& rule, double value) {
  if (!in_range) throw po::error("--" + option + " must be " + rule + ", got " + format_number(value));
}

void require_at_least(double value, double minimum, const std::string& option) {
  require_option(value >= minimum, option, ">= " + format_number(minimum), value);
}

void require_threads(int threads, const std::string& option) {
  require_option(threads >= 0 && threads <= kMaxThreads, option,
                 "0 (all cores) or 1.." + std::to_string(kMaxThreads), threads);
}

void refuse_same_file(const std::string& input, const std::string& input_option, const std::string& output,
                      const std::string& output_option) {
  if (input == "-" || output == "-") return;
  std::error_code error;
  if (!std::filesystem::equivalent(input, output, error)) return;  // also false when either is missing
  throw po::error("--" + output_option + " " + output + " is the file --" + input_option +
                  " reads: writing it would empty it before it is read; choose another output");
}

}  // namespace nmt::cli
