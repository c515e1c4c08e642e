#include <boost/test/unit_test.hpp>

#include "nmt/core/error.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/bootstrap.h"
#include "nmt/eval/numpy_rng.h"

using namespace nmt::eval;

BOOST_AUTO_TEST_SUITE(bootstrap)

BOOST_AUTO_TEST_CASE(rng_reproduces_numpy_default_rng) {
  // np.random.default_rng(42).random(3)
  NumpyDefaultRng rng(42);
  BOOST_TEST(rng.uniform() == 0.7739560485559633);
  BOOST_TEST(rng.uniform() == 0.4388784397520523);
  BOOST_TEST(rng.uniform() == 0.8585979199113825);
  // np.random.default_rng(12345).integers(0, 10, size=3)
  NumpyDefaultRng seeded(12345);
  BOOST_TEST(seeded.below(10) == 6u);
  BOOST_TEST(seeded.below(10) == 2u);
  BOOST_TEST(seeded.below(10) == 7u);
  BOOST_TEST(seeded.below(1) == 0u);
}

namespace {
StatsTable table_of(Bleu& bleu, const std::vector<std::string>& hyps,
                    const std::vector<std::string>& refs) {
  StatsTable table(bleu.stats_size());
  for (std::size_t i = 0; i < hyps.size(); ++i)
    bleu.segment_stats(hyps[i], {refs[i]}, table.add_row());
  return table;
}
}  // namespace

BOOST_AUTO_TEST_CASE(paired_bootstrap_properties) {
  Bleu bleu;
  std::vector<std::string> refs, good, bad;
  for (int i = 0; i < 60; ++i) {
    refs.push_back("the quick brown fox jumps over the lazy dog number " + std::to_string(i));
    good.push_back(i % 5 == 0 ? "a quick brown fox jumped over a lazy dog" : refs.back());
    bad.push_back(i % 2 == 0 ? "the slow red cat sat under a dog" : "quick fox over the dog " + std::to_string(i));
  }
  const auto good_table = table_of(bleu, good, refs);
  const auto bad_table = table_of(bleu, bad, refs);

  const auto same = paired_bootstrap(bleu, good_table, good_table, 200);
  BOOST_TEST(same.p_value == 1.0 / 201);  // no resample differs: (0 + 1) / (200 + 1)
  BOOST_TEST(same.system.mean == same.baseline.mean);

  const auto r = paired_bootstrap(bleu, bad_table, good_table, 200);
  BOOST_TEST(r.system.score > r.baseline.score);
  BOOST_TEST(r.p_value < 0.05);
  BOOST_TEST(r.system.ci > 0.0);
  BOOST_TEST(std::abs(r.system.mean - r.system.score) < 3 * r.system.ci);

  const auto again = paired_bootstrap(bleu, bad_table, good_table, 200);
  BOOST_TEST(again.system.mean == r.system.mean);  // seeded: reproducible
  BOOST_CHECK_THROW(paired_bootstrap(bleu, StatsTable(3), good_table), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(single_system_estimate_draws_what_the_paired_test_draws) {
  Bleu bleu;
  std::vector<std::string> refs, hyps;
  for (int i = 0; i < 40; ++i) {
    refs.push_back("a small test sentence with number " + std::to_string(i));
    hyps.push_back(i % 3 == 0 ? "a test sentence" : "a small test sentence with number " + std::to_string(i % 7));
  }
  const auto table = table_of(bleu, hyps, refs);
  const auto single = bootstrap_estimate(bleu, table, 300, 99);
  const auto paired = paired_bootstrap(bleu, table, table, 300, 99);
  BOOST_TEST(single.score == paired.system.score);
  BOOST_TEST(single.mean == paired.system.mean);
  BOOST_TEST(single.ci == paired.system.ci);
  BOOST_TEST(single.ci > 0.0);
  BOOST_TEST(bootstrap_estimate(bleu, table, 300, 100).mean != single.mean);
  BOOST_CHECK_THROW(bootstrap_estimate(bleu, StatsTable(bleu.stats_size()), 10), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(seeds_as_sacrebleu_reads_them) {
  BOOST_TEST(*parse_bootstrap_seed("007").value == 7u);
  BOOST_TEST(parse_bootstrap_seed("007").text == "007");  // --confidence signatures show it as given
  BOOST_TEST(parse_bootstrap_seed("007").paired_text() == "7");
  BOOST_TEST(!parse_bootstrap_seed("None").value.has_value());
  BOOST_TEST(parse_bootstrap_seed("None").text == "none");
  BOOST_TEST(parse_bootstrap_seed("None").paired_text() == "none");
  BOOST_CHECK_THROW(parse_bootstrap_seed("-1"), nmt::Error);
  BOOST_CHECK_THROW(parse_bootstrap_seed("12x"), nmt::Error);
  BOOST_CHECK_THROW(parse_bootstrap_seed(""), nmt::Error);
}

BOOST_AUTO_TEST_SUITE_END()
