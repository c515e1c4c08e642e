#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

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
