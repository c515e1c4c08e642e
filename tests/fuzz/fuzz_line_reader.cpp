// LineReader and the UTF-8 checks: what every command reads its text through.
//
// Input: one control byte, then the file. With the control byte's low bit
// set, the file is first padded with up to 64 KiB of 'x' so that the fuzzed
// bytes straddle the end of the reader's first buffer (64 KiB for plain
// files): line ends, CR/LF pairs and NUL bytes there take the refill path,
// which short inputs never reach.
//
// Checked for plain files: the lines returned are exactly the file split at
// '\n' (one trailing '\r' dropped, no empty last line after a final '\n'),
// numbered from 1, and a line holding a NUL byte is refused with an nmt::Error
// naming its line. For gzip data (which zlib recognises by its first bytes):
// no crash, and only nmt::Error on corrupt or truncated streams. For every
// line: find_invalid_utf8, require_utf8 and replace_invalid_utf8 agree, and
// replacing yields valid UTF-8 that is unchanged when the line was valid.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "memory_file.h"
#include "nmt/core/error.h"
#include "nmt/core/text_file.h"

namespace {

constexpr std::size_t kPlainBuffer = 64 * 1024;  // LineReader's buffer for plain files

struct Expected {
  std::vector<std::string> lines;
  std::size_t nul_line = 0;  // 1-based line with a NUL byte, 0 if none
};

Expected split_lines(std::string_view file) {
  Expected expected;
  std::size_t start = 0;
  while (start < file.size()) {
    const std::size_t end = std::min(file.find('\n', start), file.size());
    std::string line(file.substr(start, end - start));
    if (expected.nul_line == 0 && line.find('\0') != std::string::npos) expected.nul_line = expected.lines.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    expected.lines.push_back(std::move(line));
    start = end + 1;
  }
  return expected;
}

void check_utf8(const std::string& line) {
  const std::size_t bad = nmt::find_invalid_utf8(line);
  bool refused = false;
  try {
    nmt::require_utf8(line, "fuzz", 1);
  } catch (const nmt::Error&) {
    refused = true;
  }
  NMT_FUZZ_CHECK(refused == (bad != std::string::npos));
  NMT_FUZZ_CHECK(bad == std::string::npos || bad < line.size());
  const std::string replaced = nmt::replace_invalid_utf8(line);
  NMT_FUZZ_CHECK(nmt::find_invalid_utf8(replaced) == std::string::npos);
  if (bad == std::string::npos) NMT_FUZZ_CHECK(replaced == line);
  else NMT_FUZZ_CHECK(replaced != line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static nmt::fuzz::MemoryFile memory;
  if (size == 0) return 0;
  std::string file;
  if (data[0] & 1) file.assign(kPlainBuffer - (data[0] >> 1), 'x');  // up to 127 bytes before the boundary
  file.append(nmt::fuzz::as_text(data + 1, size - 1));
  const std::string& path = memory.write(file);
  const bool gzip = file.size() >= 2 && file[0] == '\x1f' && file[1] == '\x8b';

  std::vector<std::string> lines;
  std::size_t refused_at = 0;
  {
    nmt::LineReader reader(path);
    std::string line;
    try {
      while (reader.next(line)) {
        NMT_FUZZ_CHECK(reader.line_number() == lines.size() + 1);
        NMT_FUZZ_CHECK(line.find('\n') == std::string::npos && line.find('\0') == std::string::npos);
        check_utf8(line);
        lines.push_back(line);
      }
      NMT_FUZZ_CHECK(!reader.next(line) && line.empty());  // the end stays the end
    } catch (const nmt::Error& e) {
      refused_at = lines.size() + 1;
      // Messages name the file and the line ("<path>:<line>: ...").
      NMT_FUZZ_CHECK(std::string(e.what()).rfind(path + ":" + std::to_string(refused_at) + ": ", 0) == 0);
    }
  }
  if (gzip) return 0;

  const Expected expected = split_lines(file);
  NMT_FUZZ_CHECK(refused_at == expected.nul_line);
  const std::size_t read = expected.nul_line ? expected.nul_line - 1 : expected.lines.size();
  NMT_FUZZ_CHECK(lines.size() == read);
  for (std::size_t i = 0; i < read; ++i) NMT_FUZZ_CHECK(lines[i] == expected.lines[i]);

  // read_utf8_lines: the same lines, or an nmt::Error for the first bad one.
  bool all_valid = expected.nul_line == 0;
  for (const auto& line : lines) all_valid = all_valid && nmt::find_invalid_utf8(line) == std::string::npos;
  try {
    NMT_FUZZ_CHECK(nmt::read_utf8_lines(path) == lines);
    NMT_FUZZ_CHECK(all_valid);
  } catch (const nmt::Error&) {
    NMT_FUZZ_CHECK(!all_valid);
  }
  return 0;
}
