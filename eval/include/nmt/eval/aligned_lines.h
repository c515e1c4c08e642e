#pragma once
// Reads line-aligned text files (hypotheses and references) in lockstep, one
// line of each at a time, as sacreBLEU's command line reads them: split on
// '\n', every line right-stripped of Unicode whitespace. Memory does not grow
// with the number of lines.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nmt/core/text_file.h"

namespace nmt::eval {

class AlignedLines {
 public:
  // "-" is standard input. Throws nmt::Error naming a file that cannot be opened.
  explicit AlignedLines(const std::vector<std::string>& paths);

  // Fills lines with the next line of every file (views valid until the next
  // call). Returns false after the last line. Throws nmt::Error "file:line: ..."
  // for invalid UTF-8, and naming both files and both line counts when the
  // files differ in length, or naming the first file when all are empty.
  bool next(std::vector<std::string_view>& lines);

  // Lines returned so far.
  std::size_t line_number() const { return line_number_; }

  const std::string& name(std::size_t file) const { return readers_[file]->name(); }

 private:
  [[noreturn]] void report_length_mismatch(const std::vector<bool>& ended);

  std::vector<std::unique_ptr<LineReader>> readers_;
  std::vector<std::string> buffers_;
  std::size_t line_number_ = 0;
};

}  // namespace nmt::eval
