#include "config_yaml.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "options.h"

namespace nmt::cli {

namespace {

// 1-based line of a node, for messages.
std::size_t line_of(const YAML::Node& node) { return static_cast<std::size_t>(node.Mark().line) + 1; }

// A bad config file is bad usage, like a bad option on the command line (exit 2).
[[noreturn]] void config_error(const std::string& path, std::size_t line, const std::string& message) {
  throw po::error(path + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message);
}

// OpenNMT-py spells options with underscores (beam_size); Marian and nmt with dashes.
const po::option_description* find_option(const po::options_description& options, std::string key) {
  if (const auto* found = options.find_nothrow(key, false, false, false)) return found;
  std::replace(key.begin(), key.end(), '_', '-');
  return options.find_nothrow(key, false, false, false);
}

std::vector<std::string> tokens_of(const YAML::Node& value, const po::option_description& option,
                                   const std::string& path) {
  const std::string name = "--" + option.long_name();
  if (value.IsScalar()) return {value.Scalar()};
  if (value.IsSequence()) {
    if (option.semantic()->max_tokens() < 2)
      config_error(path, line_of(value), name + " takes one value, not a list");
    std::vector<std::string> tokens;
    for (const auto& item : value) {
      if (!item.IsScalar()) config_error(path, line_of(item), name + ": list items must be plain values");
      tokens.push_back(item.Scalar());
    }
    return tokens;
  }
  config_error(path, line_of(value), name + (value.IsNull() ? " has no value" : ": expected a value or a list"));
}

// The text of a stored value, as the command line would have given it.
template <typename T>
std::optional<std::vector<std::string>> as_text(const boost::any& value) {
  const T* typed = boost::any_cast<T>(&value);
  if (typed == nullptr) return std::nullopt;
  if constexpr (std::is_same_v<T, bool>) return std::vector<std::string>{*typed ? "true" : "false"};
  else if constexpr (std::is_same_v<T, std::string>) return std::vector<std::string>{*typed};
  else if constexpr (std::is_same_v<T, std::vector<std::string>>) return *typed;
  else return std::vector<std::string>{fmt::format("{}", *typed)};  // shortest text that reads back exactly
}

std::vector<std::string> value_text(const boost::any& value, const std::string& option) {
  for (const auto& text :
       {as_text<std::string>(value), as_text<std::vector<std::string>>(value), as_text<bool>(value),
        as_text<int>(value), as_text<long>(value), as_text<long long>(value), as_text<unsigned>(value),
        as_text<unsigned long>(value), as_text<unsigned long long>(value), as_text<float>(value),
        as_text<double>(value)}) {
    if (text) return *text;
  }
  throw Error("--" + option + ": cannot write its value to a config file (unsupported type)");
}

std::string normalize_line_breaks(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return out;
}

}  // namespace

void store_config_file(const std::string& path, const po::options_description& options, po::variables_map& vm) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const Error&) {
    config_error(path, 0, "cannot open config file");
  }
  // YAML's line breaks are LF, CRLF and a lone CR, all read as LF; yaml-cpp
  // keeps a CR that ends the file in the last value, which then differs from
  // what --dump-config writes and reads back (found by fuzz_config_file).
  text = normalize_line_breaks(text);
  // A NUL byte is no text (and yaml-cpp's emitter cuts a value at it).
  const auto nul = text.find('\0');
  if (nul != std::string::npos)
    config_error(path, static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n')) + 1,
                 "a NUL byte: a config file is text");
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    config_error(path, static_cast<std::size_t>(e.mark.line) + 1, "not valid YAML: " + e.msg);
  }
  if (root.IsNull()) return;  // an empty file sets nothing
  if (!root.IsMap()) config_error(path, line_of(root), "a config file is a mapping of option names to values");
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    const auto* option = find_option(options, key);
    if (option == nullptr) {
      const std::string hint = nearest_option(key, options);
      config_error(path, line_of(entry.first),
                   "unknown option '" + key + "'" + (hint.empty() ? "" : " (did you mean '" + hint.substr(2) + "'?)"));
    }
    po::parsed_options parsed(&options);
    parsed.options.emplace_back(option->long_name(), tokens_of(entry.second, *option, path));
    try {
      po::store(parsed, vm);
    } catch (const po::error& e) {
      config_error(path, line_of(entry.first), option_error_text(e));
    }
  }
}

std::string effective_config_yaml(const po::variables_map& vm, const po::options_description& options) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& option : options.options()) {
    const std::string& name = option->long_name();
    if (name.empty() || !vm.count(name)) continue;
    const auto text = value_text(vm[name].value(), name);
    out << YAML::Key << name << YAML::Value;
    if (boost::any_cast<std::vector<std::string>>(&vm[name].value()) != nullptr) {
      out << YAML::Flow << YAML::BeginSeq;
      for (const auto& item : text) out << item;
      out << YAML::EndSeq;
    } else {
      out << text.front();
    }
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace nmt::cli
