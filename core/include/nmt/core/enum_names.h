#pragma once
// Enums that users choose by name (CLI options, config files, model files):
// one table per enum maps values to names, and parsing and printing both read
// it, so the two can never disagree.

#include <string>
#include <utility>
#include <vector>

#include "nmt/core/error.h"

namespace nmt {

template <class Enum>
using EnumNames = std::vector<std::pair<Enum, const char*>>;

// what: what the value names, for the message ("learning-rate decay").
template <class Enum>
Enum parse_enum(const EnumNames<Enum>& names, const std::string& text, const char* what) {
  std::string listed;
  for (const auto& [value, name] : names) {
    if (text == name) return value;
    listed += (listed.empty() ? "" : ", ") + std::string(name);
  }
  throw Error("unknown " + std::string(what) + " '" + text + "' (use " + listed + ")");
}

template <class Enum>
const char* enum_name(const EnumNames<Enum>& names, Enum value) {
  for (const auto& [known, name] : names)
    if (known == value) return name;
  return "?";
}

template <class Enum>
std::vector<std::string> enum_choices(const EnumNames<Enum>& names) {
  std::vector<std::string> choices;
  for (const auto& entry : names) choices.emplace_back(entry.second);
  return choices;
}

}  // namespace nmt
