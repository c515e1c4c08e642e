#pragma once
// Errors a user can act on. Every message names the file, and the line where
// one applies, so that bad input is found without a debugger.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace nmt {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  // "path: message"
  Error(const std::string& path, const std::string& message)
      : std::runtime_error(path + ": " + message) {}
  // "path:line: message" (line counts from 1)
  Error(const std::string& path, std::size_t line, const std::string& message)
      : std::runtime_error(path + ":" + std::to_string(line) + ": " + message) {}
};

}  // namespace nmt
