#include <boost/test/unit_test.hpp>

#include "nmt/eval/python_text.h"

using namespace nmt::eval;

BOOST_AUTO_TEST_SUITE(python_text)

BOOST_AUTO_TEST_CASE(rstrip_drops_unicode_whitespace_only) {
  BOOST_TEST(rstrip_python("abc \t\r\x0b\x0c\x1c\x1f") == "abc");
  BOOST_TEST(rstrip_python("abc\xC2\xA0\xE3\x80\x80\xE2\x80\xAF\xC2\x85") == "abc");  // NBSP, U+3000, U+202F, U+0085
  BOOST_TEST(rstrip_python("abc\xE2\x80\x8B") == "abc\xE2\x80\x8B");  // U+200B is not a space in Python
  BOOST_TEST(rstrip_python("  x  ") == "  x");
  BOOST_TEST(rstrip_python(" \t ") == "");
  BOOST_TEST(rstrip_python("\xC3\xA9") == "\xC3\xA9");  // é survives
}

BOOST_AUTO_TEST_CASE(split_uses_unicode_whitespace) {
  std::vector<std::string_view> words;
  split_python("  a\xC2\xA0" "b\xE2\x80\x89" "c\td  ", words);
  BOOST_TEST(words.size() == 4u);
  BOOST_TEST(words[0] == "a");
  BOOST_TEST(words[1] == "b");
  BOOST_TEST(words[2] == "c");
  BOOST_TEST(words[3] == "d");
  words.clear();
  split_python(" \xE1\x9A\x80 ", words);  // U+1680 OGHAM SPACE MARK
  BOOST_TEST(words.empty());
}

BOOST_AUTO_TEST_CASE(lower_matches_python) {
  BOOST_TEST(lower_python("Hello WORLD") == "hello world");
  BOOST_TEST(lower_python("\xC4\xB0") == "i\xCC\x87");  // İ -> i + COMBINING DOT ABOVE
  // Final sigma: "ΟΔΟΣ ΣΑΣ" -> "οδος σας" with ς at word ends.
  BOOST_TEST(lower_python("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xA3\xCE\x91\xCE\xA3") ==
             "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82 \xCF\x83\xCE\xB1\xCF\x82");
  BOOST_TEST(lower_python("\xD0\x9F\xD0\xA0\xD0\x98") == "\xD0\xBF\xD1\x80\xD0\xB8");  // ПРИ
}

BOOST_AUTO_TEST_SUITE_END()
