#pragma once
// Reading and writing UTF-8 text line by line: the one place that decides what a
// line is. Lines end at '\n' only; a trailing '\r' (CRLF files) is dropped.
// Input may be gzip-compressed (recognised by its content, not its name, so
// standard input too); output is always plain text.

#include <cstddef>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct gzFile_s;  // zlib's file handle, kept out of users' includes

namespace nmt {

// The path "-" means standard input (for readers) or standard output (for writers).
inline bool is_std_stream(const std::string& path) { return path.empty() || path == "-"; }

// How a path is shown in messages: "<stdin>" / "<stdout>" for "-".
std::string display_name(const std::string& path, bool for_output = false);

class LineReader {
 public:
  // Throws nmt::Error naming the file when it cannot be opened or is a directory.
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // A longer line is refused rather than read into memory without end.
  static constexpr std::size_t kMaxLineBytes = std::size_t{64} << 20;

  // Reads the next line (without its terminator); false at end of input.
  // Throws nmt::Error "file:line: ..." when the stream fails mid-way (an I/O
  // error, corrupt or truncated gzip data), the line holds a NUL byte (a
  // binary file given as text) or is longer than kMaxLineBytes.
  bool next(std::string& line);

  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }
  const std::string& name() const { return name_; }

 private:
  // Refills buffer_ from the file; false at the end of input.
  bool fill();

  std::string name_;
  gzFile_s* file_ = nullptr;  // zlib reads plain files unchanged ("transparent" mode)
  int terminal_fd_ = -1;      // read directly instead, line by line as typed
  std::unique_ptr<char[]> buffer_;
  unsigned buffer_size_ = 0;
  std::size_t begin_ = 0, end_ = 0;  // the bytes of buffer_ not yet returned
  bool ended_ = false;
  std::size_t line_number_ = 0;
};

// Lines to a file, or to stdout for "-". A file is written to a temporary
// beside it (see atomic_file.h) and renamed into place by commit(): until then,
// and if the writer is destroyed or the process killed before, the file is as
// it was, never half-written.
class LineWriter {
 public:
  explicit LineWriter(const std::string& path);
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  void write(std::string_view line);  // appends '\n'
  void flush();                        // throws nmt::Error on a write failure
  // Flushes and puts the file in place (nothing to do for stdout). Throws nmt::Error.
  void commit();
  const std::string& name() const { return name_; }

 private:
  std::string name_, path_, temp_;  // temp_: empty for stdout, or once committed
  std::unique_ptr<std::streambuf> buffer_;
  std::unique_ptr<std::ostream> file_;
  std::ostream* out_;
};

// Reads to the end; returns the reader's line count (e.g. for a message that
// two files differ in length).
std::size_t count_lines_to_end(LineReader& reader);

// Two line-aligned files read in step (a parallel corpus, or sources and their
// translations), each line checked to be UTF-8.
class ParallelLineReader {
 public:
  ParallelLineReader(const std::string& source_path, const std::string& target_path)
      : source_(source_path), target_(target_path) {}
  // False at the end of both. Throws nmt::Error naming both files and both
  // line counts when one ends first, or file:line for invalid UTF-8.
  bool next(std::string& source_line, std::string& target_line);
  const LineReader& source() const { return source_; }
  const LineReader& target() const { return target_; }

 private:
  LineReader source_, target_;
};

// Byte offset of the first invalid UTF-8 sequence in text, or npos when valid.
std::size_t find_invalid_utf8(std::string_view text);

// Throws nmt::Error "file:line: invalid UTF-8 at byte N" when text is not UTF-8.
void require_utf8(std::string_view text, const std::string& file, std::size_t line);

// Replaces every invalid UTF-8 sequence with U+FFFD.
std::string replace_invalid_utf8(std::string_view text);

// All lines of a file, each checked to be valid UTF-8.
std::vector<std::string> read_utf8_lines(const std::string& path);

}  // namespace nmt
