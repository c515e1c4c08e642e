#include "nmt/core/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unicode/utf8.h>
#include <unistd.h>
#include <zlib.h>

#include <ext/stdio_filebuf.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <iostream>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"

namespace nmt {

std::string display_name(const std::string& path, bool for_output) {
  if (is_std_stream(path)) return for_output ? "<stdout>" : "<stdin>";
  return path;
}

namespace {

// Buffer sizes, measured. A plain file is copied by zlib straight into our
// buffer, kept small enough to stay in cache while it is scanned for line
// ends. gzip data goes faster with larger buffers: inflate copies its 32 KiB
// window at the end of each call, so the more it inflates per call the
// better. Either way our buffer is at least three times zlib's input buffer,
// so that zlib writes straight into ours rather than through its own.
struct BufferSizes {
  unsigned zlib, ours;
};
constexpr BufferSizes kPlainBuffers{16 * 1024, 64 * 1024};
constexpr BufferSizes kGzipBuffers{64 * 1024, 256 * 1024};

// A regular file can be peeked at without moving its offset; a pipe cannot
// (zlib still recognises gzip there, with the plain file's buffer sizes).
bool starts_with_gzip_magic(int fd, const struct stat& info) {
  unsigned char magic[2];
  return S_ISREG(info.st_mode) && ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

// zlib prefixes its messages with its own name for the file ("<fd:3>: ").
std::string zlib_reason(const char* message) {
  const std::string text = message ? message : "";
  const auto colon = text.find(": ");
  return colon == std::string::npos ? text : text.substr(colon + 2);
}

}  // namespace

LineReader::LineReader(const std::string& path) : name_(display_name(path)) {
  const int fd = is_std_stream(path) ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(name_, "cannot open for reading (missing or unreadable)");
  struct stat info {};
  if (::fstat(fd, &info) != 0) info.st_mode = 0;
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    throw Error(name_, "is a directory");
  }
  // zlib fills its whole buffer before returning; on a terminal that would
  // hold back each typed line, and nobody types gzip data.
  const bool terminal = ::isatty(fd);
  const BufferSizes sizes = !terminal && starts_with_gzip_magic(fd, info) ? kGzipBuffers : kPlainBuffers;
  buffer_size_ = sizes.ours;
  buffer_ = std::make_unique<char[]>(buffer_size_);
  if (terminal) {
    terminal_fd_ = fd;
    return;
  }
  file_ = gzdopen(fd, "rb");
  if (!file_) {
    ::close(fd);
    throw Error(name_, "cannot open for reading (out of memory)");
  }
  gzbuffer(file_, sizes.zlib);
}

LineReader::~LineReader() {
  if (file_) gzclose_r(file_);
  if (terminal_fd_ >= 0) ::close(terminal_fd_);
}

bool LineReader::fill() {
  begin_ = end_ = 0;
  if (ended_) return false;  // a terminal would wait for more after Ctrl-D
  if (terminal_fd_ >= 0) {
    // Show the answer to the last line before waiting for the next, as std::cin's tie does.
    std::cout.flush();
    ssize_t got;
    do got = ::read(terminal_fd_, buffer_.get(), buffer_size_);
    while (got < 0 && errno == EINTR);
    if (got < 0) throw Error(name_, line_number_ + 1, std::string("read error: ") + std::strerror(errno));
    end_ = static_cast<std::size_t>(got);
    ended_ = got == 0;
    return !ended_;
  }
  const int got = gzread(file_, buffer_.get(), buffer_size_);
  int code = Z_OK;
  const char* message = gzerror(file_, &code);
  if (got < 0) {
    const std::size_t line = line_number_ + 1;
    if (code == Z_ERRNO) throw Error(name_, line, std::string("read error: ") + std::strerror(errno));
    if (code == Z_DATA_ERROR) throw Error(name_, line, "corrupt gzip data (" + zlib_reason(message) + ")");
    throw Error(name_, line, "read error: " + zlib_reason(message));
  }
  // zlib reports a stream cut short only as a soft error at the end.
  if (got == 0 && code == Z_BUF_ERROR)
    throw Error(name_, line_number_ + 1, "truncated gzip data (the file ends inside a compressed stream)");
  end_ = static_cast<std::size_t>(got);
  ended_ = got == 0;
  return !ended_;
}

bool LineReader::next(std::string& line) {
  line.clear();
  bool any_bytes = false;
  for (;;) {
    if (begin_ == end_ && !fill()) break;
    any_bytes = true;
    const char* start = buffer_.get() + begin_;
    const std::size_t available = end_ - begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    const std::size_t piece = newline ? static_cast<std::size_t>(newline - start) : available;
    // Checked piece by piece, so that a binary file or an endless line
    // (/dev/zero) is refused before it fills memory. NUL is valid UTF-8, so
    // the UTF-8 checks would let a binary file through.
    if (std::memchr(start, '\0', piece))
      throw Error(name_, line_number_ + 1, "binary data (NUL byte), not a text file");
    if (line.size() + piece > kMaxLineBytes)
      throw Error(name_, line_number_ + 1,
                  "a line longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB: not text of one sentence a line");
    line.append(start, piece);
    begin_ += piece + (newline ? 1 : 0);
    if (newline) break;
  }
  if (!any_bytes) return false;
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

LineWriter::LineWriter(const std::string& path) : name_(display_name(path, true)), path_(path) {
  if (is_std_stream(path)) {
    out_ = &std::cout;
    return;
  }
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
    // A device or pipe (/dev/null, a FIFO) is written as it is: there is no
    // file to replace, and a temporary beside /dev/null would be renamed over it.
    auto file = std::make_unique<std::ofstream>(path, std::ios::binary);
    if (!*file) throw Error(path, "cannot open for writing");
    file_ = std::move(file);
    out_ = file_.get();
    return;
  }
  // Through a link to the file it names, as writing it in place would.
  std::error_code error;
  if (std::filesystem::is_symlink(path, error)) path_ = std::filesystem::canonical(path).string();
  const int fd = create_temporary_file(path_, temp_);
  buffer_ = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::out | std::ios::binary, 1 << 16);
  file_ = std::make_unique<std::ostream>(buffer_.get());
  out_ = file_.get();
}

LineWriter::~LineWriter() {
  if (temp_.empty()) return;
  file_.reset();
  buffer_.reset();  // closes the descriptor
  ::unlink(temp_.c_str());
  release_temporary(temp_);
}

void LineWriter::commit() {
  flush();
  if (temp_.empty()) return;
  file_.reset();
  buffer_.reset();
  if (std::rename(temp_.c_str(), path_.c_str()) != 0)
    throw Error(path_, std::string("cannot rename the finished output into place: ") + std::strerror(errno));
  release_temporary(temp_);
  temp_.clear();
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
