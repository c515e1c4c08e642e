#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>

#include "nmt/eval/bleu.h"
#include "nmt/eval/corpus_score.h"

using namespace nmt::eval;
using L = BleuStatsLayout;

namespace {

std::array<int64_t, L::kSize> stats_of(Bleu& bleu, std::string_view hyp,
                                       const std::vector<std::string_view>& refs) {
  std::array<int64_t, L::kSize> out{};
  bleu.segment_stats(hyp, refs, out.data());
  return out;
}

// [hyp_len, ref_len, correct..., total...]
std::array<int64_t, L::kSize> make_stats(int64_t hyp_len, int64_t ref_len,
                                         std::array<int64_t, 4> correct,
                                         std::array<int64_t, 4> total) {
  std::array<int64_t, L::kSize> s{hyp_len, ref_len};
  for (int n = 0; n < 4; ++n) {
    s[L::kCorrect + n] = correct[n];
    s[L::kTotal + n] = total[n];
  }
  return s;
}

double geometric_mean(std::array<double, 4> p) {
  double sum = 0;
  for (const double x : p) sum += std::log(x);
  return std::exp(sum / 4);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bleu)

BOOST_AUTO_TEST_CASE(counts_are_clipped_by_the_reference) {
  BleuOptions options;
  options.tokenizer = TokenizerKind::kNone;
  Bleu bleu(options);
  const auto s = stats_of(bleu, "the the the the", {"the cat"});
  BOOST_TEST(s[L::kHypLength] == 4);
  BOOST_TEST(s[L::kRefLength] == 2);
  BOOST_TEST(s[L::kCorrect + 0] == 1);  // "the" x4 clipped to 1
  BOOST_TEST(s[L::kTotal + 0] == 4);
  BOOST_TEST(s[L::kCorrect + 1] == 0);
  BOOST_TEST(s[L::kTotal + 1] == 3);
  BOOST_TEST(s[L::kTotal + 2] == 2);
  BOOST_TEST(s[L::kTotal + 3] == 1);
}

BOOST_AUTO_TEST_CASE(multi_reference_clips_by_max_and_takes_closest_length) {
  BleuOptions options;
  options.tokenizer = TokenizerKind::kNone;
  Bleu bleu(options);
  // "a" occurs twice in the second reference only: max count 2.
  auto s = stats_of(bleu, "a a a b c", {"a b c d", "a a x y z w"});
  BOOST_TEST(s[L::kCorrect + 0] == 4);  // a:2 (max over refs), b, c
  // Lengths 4 and 6 are equally close to 5: the shorter wins.
  BOOST_TEST(s[L::kRefLength] == 4);
  s = stats_of(bleu, "a a a b c", {"a b c", "a a x y z w"});
  BOOST_TEST(s[L::kRefLength] == 6);
}

BOOST_AUTO_TEST_CASE(empty_hypothesis_and_all_punctuation) {
  Bleu bleu;
  auto s = stats_of(bleu, "", {"a b"});
  BOOST_TEST(s[L::kHypLength] == 0);
  BOOST_TEST(s[L::kTotal + 0] == 0);
  const auto empty = bleu.score(s.data());
  BOOST_TEST(empty.score == 0.0);
  BOOST_TEST(empty.bp == 0.0);
  s = stats_of(bleu, "!?!", {"! ? !"});
  BOOST_TEST(s[L::kHypLength] == 3);  // 13a splits every mark
  BOOST_TEST(bleu.score(s.data()).score == 0.0);  // no 4-grams: 3 tokens only
  BOOST_TEST(bleu.score(stats_of(bleu, "!?!.", {"! ? ! ."}).data()).score == 100.0,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(longer_hypothesis_has_no_brevity_penalty) {
  Bleu bleu;
  const auto s = stats_of(bleu, "a b c d e f g h", {"a b c d"});
  const auto score = bleu.score(s.data());
  BOOST_TEST(score.bp == 1.0);
  BOOST_TEST(score.ratio == 2.0);
  BOOST_TEST(score.precisions[0] == 50.0);
}

BOOST_AUTO_TEST_CASE(non_ascii_tokens) {
  Bleu bleu;
  const auto s = stats_of(bleu, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xCE\xBA\xCF\x8C\xCF\x83\xCE\xBC\xCE\xB5!",
                          {"\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 , \xCE\xBA\xCF\x8C\xCF\x83\xCE\xBC\xCE\xB5 !"});
  BOOST_TEST(bleu.score(s.data()).score == 100.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(smoothing_methods) {
  const auto s = make_stats(4, 4, {2, 1, 0, 0}, {4, 3, 2, 1});
  BleuOptions options;
  options.smoothing = Smoothing::kExp;
  auto score = compute_bleu(s.data(), options);
  BOOST_TEST(score.precisions[2] == 25.0);  // 100 / (2 * 2)
  BOOST_TEST(score.precisions[3] == 25.0);  // 100 / (4 * 1)
  BOOST_TEST(score.score == geometric_mean({50, 100.0 / 3, 25, 25}), boost::test_tools::tolerance(1e-12));

  options.smoothing = Smoothing::kFloor;  // 0.1 by default
  score = compute_bleu(s.data(), options);
  BOOST_TEST(score.precisions[2] == 5.0);
  BOOST_TEST(score.precisions[3] == 10.0);

  options.smoothing = Smoothing::kAddK;  // k = 1 for orders above 1
  score = compute_bleu(s.data(), options);
  BOOST_TEST(score.precisions[0] == 50.0);
  BOOST_TEST(score.precisions[1] == 50.0);
  BOOST_TEST(score.precisions[2] == 100.0 / 3);
  BOOST_TEST(score.precisions[3] == 50.0);
  BOOST_TEST(score.counts[1] == 2.0);  // reported with k added, as sacreBLEU does
  BOOST_TEST(score.totals[3] == 2.0);

  options.smoothing = Smoothing::kNone;
  BOOST_TEST(compute_bleu(s.data(), options).score < 1e-100);

  options.smoothing = Smoothing::kFloor;
  options.smoothing_value = 0.5;
  BOOST_TEST(compute_bleu(s.data(), options).precisions[2] == 25.0);
}

BOOST_AUTO_TEST_CASE(effective_order_and_early_exit) {
  const auto s = make_stats(3, 3, {3, 2, 0, 0}, {3, 2, 0, 0});
  BleuOptions options;
  BOOST_TEST(compute_bleu(s.data(), options).score < 1e-100);  // missing orders count as log(0)
  options.effective_order = true;
  BOOST_TEST(compute_bleu(s.data(), options).score == 100.0, boost::test_tools::tolerance(1e-12));
  const auto nothing = make_stats(3, 3, {0, 0, 0, 0}, {3, 2, 1, 0});
  const auto score = compute_bleu(nothing.data(), options);
  BOOST_TEST(score.score == 0.0);
  BOOST_TEST(score.precisions[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(signatures_and_verbose) {
  BleuOptions options;
  BOOST_TEST(Bleu(options).signature({}).rfind("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:nmt-", 0) == 0);
  options.smoothing = Smoothing::kAddK;
  options.lowercase = true;
  options.tokenizer = TokenizerKind::kIntl;
  SignatureContext context;
  context.num_refs = 2;
  context.bootstrap_samples = 1000;
  context.seed = "12345";
  BOOST_TEST(Bleu(options).signature(context).rfind(
                 "nrefs:2|bs:1000|seed:12345|case:lc|eff:no|tok:intl|smooth:add-k[1.00]|version:", 0) == 0);
  const auto s = make_stats(9, 10, {9, 5, 3, 1}, {9, 8, 7, 6});
  BOOST_TEST(compute_bleu(s.data(), {}).verbose() ==
             "100.0/62.5/42.9/16.7 (BP = 0.895 ratio = 0.900 hyp_len = 9 ref_len = 10)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(corpus_score_from_lines_equals_summed_statistics) {
  const std::vector<std::string> hyps{"the cat sat on the mat  ", "a dog", ""};
  const std::vector<std::string> refs{"the cat is on the mat", "the dog barks", "nothing"};
  Bleu bleu;
  std::array<int64_t, L::kSize> total{};
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    const auto line = stats_of(bleu, std::string_view(hyps[i]).substr(0, i == 0 ? 22 : std::string::npos),
                               {refs[i]});
    for (std::size_t k = 0; k < total.size(); ++k) total[k] += line[k];
  }
  BOOST_TEST(corpus_score(bleu, hyps, refs) == bleu.score(total.data()).score);
  BOOST_TEST(corpus_score(bleu, hyps, refs) > 0.0);
  BOOST_CHECK_THROW(corpus_score(bleu, hyps, {"one"}), std::exception);
}

