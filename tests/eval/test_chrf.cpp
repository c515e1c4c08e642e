#include <boost/test/unit_test.hpp>

#include <vector>

#include "nmt/eval/chrf.h"

using namespace nmt::eval;

namespace {
double sentence_chrf(Chrf& chrf, std::string_view hyp, const std::vector<std::string_view>& refs) {
  std::vector<int64_t> stats(chrf.stats_size());
  chrf.segment_stats(hyp, refs, stats.data());
  return chrf.score_from_stats(stats.data());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(chrf)

BOOST_AUTO_TEST_CASE(identical_disjoint_and_whitespace) {
  Chrf chrf;
  BOOST_TEST(chrf.name() == "chrF2");
  BOOST_TEST(sentence_chrf(chrf, "the cat", {"the cat"}) == 100.0);
  BOOST_TEST(sentence_chrf(chrf, "xyz", {"abc"}) == 0.0);
  BOOST_TEST(sentence_chrf(chrf, "th e  cat", {"the cat"}) == 100.0);  // spaces are ignored
  BOOST_TEST(sentence_chrf(chrf, "", {"abc"}) == 0.0);
}

BOOST_AUTO_TEST_CASE(statistics_per_order) {
  Chrf chrf({1, 0});  // character unigrams only
  std::vector<int64_t> s(chrf.stats_size());
  chrf.segment_stats("aab", {"abc"}, s.data());
  BOOST_TEST(s[0] == 3);  // hypothesis unigrams
  BOOST_TEST(s[1] == 3);  // reference unigrams
  BOOST_TEST(s[2] == 2);  // a (clipped to 1) + b
  // P = R = 2/3 -> F = 2/3
  BOOST_TEST(chrf.score_from_stats(s.data()) == 100.0 * 2 / 3, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(multi_reference_takes_the_best_sentence_match) {
  Chrf chrf;
  BOOST_TEST(sentence_chrf(chrf, "hello world", {"goodbye", "hello world"}) == 100.0);
  BOOST_TEST(sentence_chrf(chrf, "hello world", {"hello world", "goodbye"}) == 100.0);
}

BOOST_AUTO_TEST_CASE(chrf_plus_plus_and_lowercase) {
  ChrfOptions options;
  options.word_order = 2;
  Chrf chrf_pp(options);
  BOOST_TEST(chrf_pp.name() == "chrF2++");
  BOOST_TEST(chrf_pp.stats_size() == 24u);
  BOOST_TEST(sentence_chrf(chrf_pp, "Hello, world.", {"Hello, world."}) == 100.0);
  // Word n-grams see the spaces: same characters, different words.
  BOOST_TEST(sentence_chrf(chrf_pp, "ab cd", {"abcd"}) < 100.0);
  BOOST_TEST(sentence_chrf(chrf_pp, "ab cd", {"abcd"}) > 0.0);

  Chrf cased;
  BOOST_TEST(sentence_chrf(cased, "ABC", {"abc"}) == 0.0);
  ChrfOptions lower;
  lower.lowercase = true;
  Chrf uncased(lower);
  BOOST_TEST(sentence_chrf(uncased, "ABC", {"abc"}) == 100.0);
  BOOST_TEST(uncased.signature({}).rfind("nrefs:1|case:lc|eff:yes|nc:6|nw:0|space:no|version:", 0) == 0);
}

BOOST_AUTO_TEST_CASE(non_ascii_counts_code_points) {
  Chrf chrf({1, 0});
  std::vector<int64_t> s(chrf.stats_size());
  chrf.segment_stats("\xF0\x9F\x98\x80\xE6\xB5\x8B", {"\xE6\xB5\x8B"}, s.data());  // 😀测
  BOOST_TEST(s[0] == 2);
  BOOST_TEST(s[2] == 1);
}

BOOST_AUTO_TEST_SUITE_END()
