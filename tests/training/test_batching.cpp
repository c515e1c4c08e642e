#define BOOST_TEST_MODULE training
#include <boost/test/unit_test.hpp>

#include <random>
#include <set>

#include "nmt/tokenization/subword_model.h"
#include "nmt/training/batching.h"

namespace {

std::vector<nmt::SentencePair> random_pairs(std::size_t count) {
  std::mt19937 rng(11);
  std::vector<nmt::SentencePair> pairs(count);
  for (auto& pair : pairs) {
    pair.source.resize(1 + rng() % 12);
    pair.target.resize(1 + rng() % 15);
    for (auto& id : pair.source) id = 4 + static_cast<int>(rng() % 50);
    for (auto& id : pair.target) id = 4 + static_cast<int>(rng() % 50);
  }
  return pairs;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_pair_once_per_epoch_with_one_source_length_per_batch) {
  const auto pairs = random_pairs(500);
  nmt::BatchingOptions options;
  options.batch_sentences = 16;
  const auto plan = nmt::plan_epoch(pairs, options, 42, 0);
  std::multiset<std::size_t> seen;
  for (const auto& batch : plan) {
    BOOST_TEST(!batch.empty());
    BOOST_TEST(batch.size() <= 16u);
    for (const auto index : batch) {
      seen.insert(index);
      BOOST_TEST(pairs[index].source.size() == pairs[batch.front()].source.size());
    }
  }
  BOOST_TEST(seen.size() == pairs.size());
  BOOST_TEST(std::set<std::size_t>(seen.begin(), seen.end()).size() == pairs.size());
}

BOOST_AUTO_TEST_CASE(token_budget_bounds_padded_target_tokens) {
  const auto pairs = random_pairs(500);
  nmt::BatchingOptions options;
  options.batch_sentences = 1000;
  options.batch_tokens = 64;
  for (const auto& indices : nmt::plan_epoch(pairs, options, 1, 3)) {
    const auto batch = nmt::make_batch(pairs, indices, false);
    BOOST_TEST((batch.batch_size == 1 || batch.batch_size * batch.target_length <= 64));
  }
}

BOOST_AUTO_TEST_CASE(plans_repeat_for_the_same_seed_and_epoch_and_differ_otherwise) {
  const auto pairs = random_pairs(300);
  const nmt::BatchingOptions options;
  BOOST_TEST((nmt::plan_epoch(pairs, options, 5, 2) == nmt::plan_epoch(pairs, options, 5, 2)));
  BOOST_TEST((nmt::plan_epoch(pairs, options, 5, 2) != nmt::plan_epoch(pairs, options, 5, 3)));
  BOOST_TEST((nmt::plan_epoch(pairs, options, 5, 2) != nmt::plan_epoch(pairs, options, 6, 2)));
}

BOOST_AUTO_TEST_CASE(batch_is_time_major_with_shifted_targets_and_padding) {
  std::vector<nmt::SentencePair> pairs{{{10, 11, 12}, {20, 21}}, {{13, 14, 15}, {22, 23, 24, 25}}};
  const auto batch = nmt::make_batch(pairs, {0, 1}, false);
  BOOST_TEST(batch.source_length == 3);
  BOOST_TEST(batch.target_length == 5);
  const std::vector<int> source{10, 13, 11, 14, 12, 15};
  BOOST_TEST(batch.source == source, boost::test_tools::per_element());
  const int pad = nmt::kPadId, bos = nmt::kBosId, eos = nmt::kEosId;
  const std::vector<int> input{bos, bos, 20, 22, 21, 23, pad, 24, pad, 25};
  const std::vector<int> output{20, 22, 21, 23, eos, 24, pad, 25, pad, eos};
  BOOST_TEST(batch.target_input == input, boost::test_tools::per_element());
  BOOST_TEST(batch.target_output == output, boost::test_tools::per_element());
  BOOST_TEST(batch.target_tokens == 3 + 5);

  const auto reversed = nmt::make_batch(pairs, {0, 1}, true);
  const std::vector<int> reversed_source{12, 15, 11, 14, 10, 13};
  BOOST_TEST(reversed.source == reversed_source, boost::test_tools::per_element());
}
