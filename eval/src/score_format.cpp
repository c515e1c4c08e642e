#include "nmt/eval/score_format.h"

#include <algorithm>
#include <cstdio>

namespace nmt::eval {

std::string format_fixed(double value, int decimals) {
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string format_score_line(const std::string& name, const std::string& signature, double score,
                              int width, const std::string& verbose) {
  std::string line = signature.empty() ? name : name + "|" + signature;
  line += " = " + format_fixed(score, width);
  if (!verbose.empty()) line += " " + verbose;
  return line;
}

std::vector<std::string> align_score_lines(const std::vector<std::string>& lines) {
  if (lines.size() < 2) return lines;
  // Widths count bytes; the text left of '=' (names and signatures) is ASCII.
  std::size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.find('=') - 1);
  std::vector<std::string> aligned;
  for (const auto& line : lines) {
    const std::size_t left = line.find('=') - 1;
    aligned.push_back(std::string(width - left, ' ') + line);
  }
  return aligned;
}

}  // namespace nmt::eval
