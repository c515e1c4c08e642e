#include "nmt/core/text_file.h"

#include <unicode/utf8.h>

#include <iostream>

#include "nmt/core/error.h"

namespace nmt {

std::string display_name(const std::string& path, bool for_output) {
  if (is_std_stream(path)) return for_output ? "<stdout>" : "<stdin>";
  return path;
}

LineReader::LineReader(const std::string& path) : name_(display_name(path)) {
  if (is_std_stream(path)) {
    in_ = &std::cin;
    return;
  }
  file_ = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file_) throw Error(path, "cannot open for reading (missing or unreadable)");
  in_ = file_.get();
}

bool LineReader::next(std::string& line) {
  if (!std::getline(*in_, line)) {
    if (in_->bad()) throw Error(name_, line_number_ + 1, "read error");
    return false;
  }
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

LineWriter::LineWriter(const std::string& path) : name_(display_name(path, true)) {
  if (is_std_stream(path)) {
    out_ = &std::cout;
    return;
  }
  file_ = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*file_) throw Error(path, "cannot open for writing");
  out_ = file_.get();
}

void LineWriter::write(std::string_view line) {
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
  out_->put('\n');
}

void LineWriter::flush() {
  out_->flush();
  if (!*out_) throw Error(name_, "write failed (disk full or closed pipe?)");
}

std::size_t count_lines_to_end(LineReader& reader) {
  std::string line;
  while (reader.next(line)) {
  }
  return reader.line_number();
}

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return static_cast<std::size_t>(start);
  }
  return std::string_view::npos;
}

void require_utf8(std::string_view text, const std::string& file, std::size_t line) {
  const std::size_t bad = find_invalid_utf8(text);
  if (bad != std::string_view::npos)
    throw Error(file, line, "invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the line");
}

std::string replace_invalid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0)
      out += "\xEF\xBF\xBD";
    else
      out.append(text.data() + start, static_cast<std::size_t>(i - start));
  }
  return out;
}

std::vector<std::string> read_utf8_lines(const std::string& path) {
  LineReader reader(path);
  std::vector<std::string> lines;
  std::string line;
  while (reader.next(line)) {
    require_utf8(line, reader.name(), reader.line_number());
    lines.push_back(std::move(line));
  }
  return lines;
}

bool ParallelLineReader::next(std::string& source_line, std::string& target_line) {
  const bool has_source = source_.next(source_line);
  const bool has_target = target_.next(target_line);
  if (has_source != has_target) {
    const std::size_t source_lines = has_source ? count_lines_to_end(source_) : source_.line_number();
    const std::size_t target_lines = has_target ? count_lines_to_end(target_) : target_.line_number();
    throw Error(source_.name() + " has " + std::to_string(source_lines) + " lines but " + target_.name() +
                " has " + std::to_string(target_lines) + ": parallel files must be line-aligned");
  }
  if (!has_source) return false;
  require_utf8(source_line, source_.name(), source_.line_number());
  require_utf8(target_line, target_.name(), target_.line_number());
  return true;
}

}  // namespace nmt
