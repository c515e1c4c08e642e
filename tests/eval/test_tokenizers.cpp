#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include "nmt/eval/tokenizers.h"

using namespace nmt::eval;

namespace {
std::string t13a(const std::string& s) { return tokenize(TokenizerKind::k13a, s); }
std::string intl(const std::string& s) { return tokenize(TokenizerKind::kIntl, s); }
}  // namespace

BOOST_AUTO_TEST_SUITE(tokenizers)

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (const char* name : {"none", "13a", "intl", "char"})
    BOOST_TEST(tokenizer_name(parse_tokenizer(name)) == std::string(name));
  BOOST_CHECK_THROW(parse_tokenizer("zh"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(tok_13a_punctuation_and_numbers) {
  BOOST_TEST(t13a("Hello, world!") == "Hello , world !");
  BOOST_TEST(t13a("3.14 and 1,000 and a.b") == "3.14 and 1,000 and a . b");
  BOOST_TEST(t13a("2-3 x-y") == "2 - 3 x-y");
  BOOST_TEST(t13a("It's $5 (50%)") == "It's $ 5 ( 50 % )");
  BOOST_TEST(t13a("end.") == "end .");
  BOOST_TEST(t13a("1999.") == "1999 .");  // the padding space lets the final period split
}

BOOST_AUTO_TEST_CASE(tok_13a_matches_do_not_overlap) {
  // "a." is one match of ([^0-9])([.,]); "," then follows a consumed "." and is
  // only split by the next rule.
  BOOST_TEST(t13a("a.,b") == "a . , b");
  BOOST_TEST(t13a("9.,9") == "9 . , 9");
}

BOOST_AUTO_TEST_CASE(tok_13a_entities_and_skipped) {
  BOOST_TEST(t13a("&amp;lt;b&amp;gt;") == "< b >");
  BOOST_TEST(t13a("&quot;hi&quot;") == "\" hi \"");
  BOOST_TEST(t13a("<skipped>x") == "x");
}

BOOST_AUTO_TEST_CASE(tok_13a_leaves_non_ascii_alone) {
  BOOST_TEST(t13a("caf\xC3\xA9, na\xC3\xAFve") == "caf\xC3\xA9 , na\xC3\xAFve");
  BOOST_TEST(t13a("\xE3\x80\x8C\xE6\xB5\x8B\xE8\xAF\x95\xE3\x80\x8D") ==
             "\xE3\x80\x8C\xE6\xB5\x8B\xE8\xAF\x95\xE3\x80\x8D");  // 「测试」 unsplit
  BOOST_TEST(t13a("a\xC2\xA0" "b") == "a b");                       // NBSP splits words
}

BOOST_AUTO_TEST_CASE(tok_intl_unicode_classes) {
  BOOST_TEST(intl("Hello, world! 3.14 1,000.") == "Hello , world ! 3.14 1,000.");
  BOOST_TEST(intl("a+b=c \xE2\x82\xAC" "5") == "a + b = c \xE2\x82\xAC 5");  // € is a symbol
  BOOST_TEST(intl("\xC2\xAB" "Bonjour\xC2\xBB") == "\xC2\xAB Bonjour \xC2\xBB");  // « »
  BOOST_TEST(intl("\xE3\x80\x8C\xE6\xB5\x8B\xE3\x80\x8D") == "\xE3\x80\x8C \xE6\xB5\x8B \xE3\x80\x8D");
}

BOOST_AUTO_TEST_CASE(tok_char_and_none) {
  BOOST_TEST(tokenize(TokenizerKind::kChar, "ab c") == "a b   c");
  BOOST_TEST(tokenize(TokenizerKind::kChar, "\xE6\xB5\x8B\xE8\xAF\x95") == "\xE6\xB5\x8B \xE8\xAF\x95");
  BOOST_TEST(tokenize(TokenizerKind::kChar, "") == "");
  BOOST_TEST(tokenize(TokenizerKind::kNone, " a,  b ") == " a,  b ");
}

BOOST_AUTO_TEST_SUITE_END()
