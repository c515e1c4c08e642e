#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "nmt/core/error.h"
#include "nmt/core/text_file.h"

namespace {

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string path = "/tmp/nmt_test_core_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace

BOOST_AUTO_TEST_CASE(lines_split_on_newline_and_drop_carriage_return) {
  const auto path = write_temp("crlf.txt", "one\r\ntwo\n\nthree\rstill three\nlast");
  nmt::LineReader reader(path);
  std::vector<std::string> lines;
  std::string line;
  while (reader.next(line)) lines.push_back(line);
  const std::vector<std::string> expected{"one", "two", "", "three\rstill three", "last"};
  BOOST_TEST(lines == expected, boost::test_tools::per_element());
  BOOST_TEST(reader.line_number() == 5u);
}

BOOST_AUTO_TEST_CASE(missing_file_is_named_in_the_error) {
  try {
    nmt::LineReader reader("/tmp/nmt_no_such_file.txt");
    BOOST_FAIL("opening a missing file did not throw");
  } catch (const nmt::Error& e) {
    BOOST_TEST(std::string(e.what()).find("/tmp/nmt_no_such_file.txt") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(utf8_validation_finds_the_first_bad_byte) {
  BOOST_TEST(nmt::find_invalid_utf8("plain ascii") == std::string_view::npos);
  BOOST_TEST(nmt::find_invalid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80") == std::string_view::npos);
  BOOST_TEST(nmt::find_invalid_utf8("ab\xFF") == 2u);
  BOOST_TEST(nmt::find_invalid_utf8("a\xC3") == 1u);            // truncated sequence
  BOOST_TEST(nmt::find_invalid_utf8("\xC0\xAF") == 0u);         // overlong '/'
  BOOST_TEST(nmt::find_invalid_utf8("x\xED\xA0\x80") == 1u);    // UTF-16 surrogate
}

BOOST_AUTO_TEST_CASE(invalid_bytes_are_replaced_by_the_replacement_character) {
  BOOST_TEST(nmt::replace_invalid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  BOOST_TEST(nmt::replace_invalid_utf8("ok \xC3\xA9") == "ok \xC3\xA9");
}

BOOST_AUTO_TEST_CASE(read_utf8_lines_names_file_and_line_of_bad_text) {
  const auto path = write_temp("bad_utf8.txt", "fine\nalso fine\nbroken \xFE\n");
  try {
    nmt::read_utf8_lines(path);
    BOOST_FAIL("invalid UTF-8 was accepted");
  } catch (const nmt::Error& e) {
    BOOST_TEST(std::string(e.what()) == path + ":3: invalid UTF-8 at byte 8 of the line");
  }
}

namespace {

// gzip members written with zlib, appended to path (a new file unless append).
void write_gzip(const std::string& path, const std::string& text, bool append = false) {
  gzFile file = gzopen(path.c_str(), append ? "ab" : "wb");
  BOOST_REQUIRE(file != nullptr);
  const auto size = static_cast<unsigned>(text.size());
  BOOST_REQUIRE(gzwrite(file, text.data(), size) == static_cast<int>(size));
  BOOST_REQUIRE(gzclose(file) == Z_OK);
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> all_lines(const std::string& path) {
  nmt::LineReader reader(path);
  std::vector<std::string> lines;
  std::string line;
  while (reader.next(line)) lines.push_back(line);
  BOOST_TEST(reader.line_number() == lines.size());
  return lines;
}

// Several MiB of varied lines (empty, CRLF, UTF-8, one longer than any read
// buffer), so that lines straddle buffer boundaries.
std::string varied_text() {
  std::string text;
  for (int i = 0; i < 60000; ++i) {
    if (i % 97 == 0) text += "\n";
    else if (i % 13 == 0) text += "line " + std::to_string(i) + " ends in CRLF\r\n";
    else if (i == 30001) text += std::string(700 * 1024, 'x') + "\n";
    else text += "caf\xC3\xA9 " + std::string(static_cast<std::size_t>(i % 150), 'a' + i % 26) + "\n";
  }
  return text + "no newline at the end";
}

std::string error_of(const std::string& path) {
  try {
    all_lines(path);
  } catch (const nmt::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

BOOST_AUTO_TEST_CASE(gzip_input_reads_as_the_plain_text) {
  const std::string text = varied_text();
  const auto plain = write_temp("varied.txt", text);
  const std::string gz = "/tmp/nmt_test_core_varied.txt.gz";
  write_gzip(gz, text);
  const auto plain_lines = all_lines(plain);
  BOOST_TEST(plain_lines.size() == 60001u);
  BOOST_TEST(plain_lines[13] == "line 13 ends in CRLF");
  BOOST_TEST(plain_lines[30001].size() == 700u * 1024);
  BOOST_TEST(plain_lines.back() == "no newline at the end");
  BOOST_TEST((all_lines(gz) == plain_lines));
  nmt::LineReader counter(gz);
  BOOST_TEST(nmt::count_lines_to_end(counter) == plain_lines.size());
}

BOOST_AUTO_TEST_CASE(concatenated_gzip_members_read_as_one_text) {
  const std::string gz = "/tmp/nmt_test_core_members.gz";
  write_gzip(gz, "one\r\ntwo\n");
  write_gzip(gz, "three\r\nfour", /*append=*/true);
  write_gzip(gz, "", /*append=*/true);
  write_gzip(gz, "\nfive\n", /*append=*/true);
  const std::vector<std::string> expected{"one", "two", "three", "four", "five"};
  BOOST_TEST(all_lines(gz) == expected, boost::test_tools::per_element());
  BOOST_TEST(nmt::read_utf8_lines(gz) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(truncated_gzip_is_an_error_at_the_line_reached) {
  const std::string kTruncated = "truncated gzip data (the file ends inside a compressed stream)";
  const std::string whole = "/tmp/nmt_test_core_whole.gz";
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "sentence number " + std::to_string(i * 7919 % 100003) + "\n";
  write_gzip(whole, text);
  const std::string bytes = read_bytes(whole);
  const auto cut = write_temp("cut.gz", bytes.substr(0, bytes.size() / 2));
  nmt::LineReader reader(cut);
  std::string line;
  std::size_t lines = 0;
  try {
    while (reader.next(line)) ++lines;
    BOOST_FAIL("a truncated gzip file read to its end without an error");
  } catch (const nmt::Error& e) {
    BOOST_TEST(lines > 1000u);
    BOOST_TEST(lines < 200000u);
    BOOST_TEST(std::string(e.what()) == cut + ":" + std::to_string(lines + 1) + ": " + kTruncated);
  }
  // Cut inside the header: not even the first line.
  const auto header_only = write_temp("header_only.gz", bytes.substr(0, 5));
  BOOST_TEST(error_of(header_only) == header_only + ":1: " + kTruncated);
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_is_an_error_naming_the_file) {
  std::string bytes = read_bytes("/tmp/nmt_test_core_members.gz");
  bytes[3] = '\xff';  // header flags no gzip writer sets
  const auto bad = write_temp("bad_header.gz", bytes);
  BOOST_TEST(error_of(bad).rfind(bad + ":1: corrupt gzip data (", 0) == 0u, error_of(bad));
}

BOOST_AUTO_TEST_CASE(directory_is_not_read_as_text) {
  const std::string dir = "/tmp/nmt_test_core_dir";
  std::filesystem::create_directories(dir);
  BOOST_TEST(error_of(dir) == dir + ": is a directory");
}

BOOST_AUTO_TEST_CASE(nul_byte_marks_binary_data_at_its_line) {
  const auto binary = write_temp("binary.bin", std::string("text first\nthen \0 binary\nmore\n", 30));
  nmt::LineReader reader(binary);
  std::string line;
  BOOST_TEST(reader.next(line));
  BOOST_TEST(line == "text first");
  BOOST_TEST(error_of(binary) == binary + ":2: binary data (NUL byte), not a text file");
  const std::string gz = "/tmp/nmt_test_core_binary.gz";
  write_gzip(gz, std::string("a\nb\nc\0", 6));
  BOOST_TEST(error_of(gz) == gz + ":3: binary data (NUL byte), not a text file");
}

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t entries_in(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                std::filesystem::directory_iterator()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_output_file_changes_only_when_committed) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "nmt_test_line_writer";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "out.txt").string();
  std::ofstream(path) << "the user's file\n";
  {
    nmt::LineWriter writer(path);
    writer.write("half");
    writer.flush();
    BOOST_TEST(slurp(path) == "the user's file\n");  // mid-write: as it was
  }  // destroyed without commit, as when an error ends the command
  BOOST_TEST(slurp(path) == "the user's file\n");
  BOOST_TEST(entries_in(dir) == 1u);  // no temporary left
  {
    nmt::LineWriter writer(path);
    writer.write("new");
    writer.commit();
  }
  BOOST_TEST(slurp(path) == "new\n");
  // Through a link, to the file it names; the link stays a link.
  const std::string link = (dir / "link.txt").string();
  fs::create_symlink(path, link);
  {
    nmt::LineWriter writer(link);
    writer.write("via link");
    writer.commit();
  }
  BOOST_TEST(fs::is_symlink(link));
  BOOST_TEST(slurp(path) == "via link\n");
  BOOST_TEST(entries_in(dir) == 2u);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_device_is_written_in_place) {
  nmt::LineWriter writer("/dev/null");
  writer.write("discarded");
  writer.commit();
  BOOST_TEST(std::filesystem::is_character_file("/dev/null"));
}
