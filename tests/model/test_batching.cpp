#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>

#include "nmt/tokenization/subword_model.h"
#include "nmt/core/error.h"
#include "nmt/model/batching.h"

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
  const nmt::BatchLimits limits{16, 0};
  const auto plan = nmt::plan_training_batches(pairs, limits, 42, 0);
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

BOOST_AUTO_TEST_CASE(batches_of_one_source_length_hold_consecutive_target_lengths) {
  // Ordered by target length before cutting: of two batches with the same
  // source length, one's longest target is no longer than the other's
  // shortest. Cut as shuffled, the ranges of 500 random pairs would overlap.
  const auto pairs = random_pairs(500);
  const auto plan = nmt::plan_training_batches(pairs, {8, 0}, 7, 2);
  struct Range { std::size_t source, shortest, longest; };
  std::vector<Range> ranges;
  for (const auto& batch : plan) {
    Range range{pairs[batch.front()].source.size(), SIZE_MAX, 0};
    for (const auto index : batch) {
      range.shortest = std::min(range.shortest, pairs[index].target.size());
      range.longest = std::max(range.longest, pairs[index].target.size());
    }
    ranges.push_back(range);
  }
  for (std::size_t a = 0; a < ranges.size(); ++a)
    for (std::size_t b = a + 1; b < ranges.size(); ++b)
      if (ranges[a].source == ranges[b].source)
        BOOST_TEST((ranges[a].longest <= ranges[b].shortest || ranges[b].longest <= ranges[a].shortest),
                   "batches " << a << " and " << b << " overlap in target length");
}

BOOST_AUTO_TEST_CASE(token_budget_bounds_padded_target_tokens) {
  const auto pairs = random_pairs(500);
  const nmt::BatchLimits limits{1000, 64};
  for (const auto& indices : nmt::plan_training_batches(pairs, limits, 1, 3)) {
    const auto batch = nmt::make_batch(pairs, indices, false);
    BOOST_TEST((batch.batch_size == 1 || batch.batch_size * batch.target_length <= 64));
  }
}

BOOST_AUTO_TEST_CASE(plans_repeat_for_the_same_seed_and_epoch_and_differ_otherwise) {
  const auto pairs = random_pairs(300);
  const nmt::BatchLimits limits;
  const auto plan = [&](std::uint64_t seed, std::uint64_t epoch) {
    return nmt::plan_training_batches(pairs, limits, seed, epoch);
  };
  BOOST_TEST((plan(5, 2) == plan(5, 2)));
  BOOST_TEST((plan(5, 2) != plan(5, 3)));
  BOOST_TEST((plan(5, 2) != plan(6, 2)));
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

BOOST_AUTO_TEST_CASE(inference_batches_are_sorted_by_length_and_cut_within_the_limits) {
  const std::vector<std::size_t> lengths{5, 0, 3, 5, 1, 3, 3, 9, 1, 5};
  for (const bool one_length : {false, true}) {
    const auto batches = nmt::plan_inference_batches(lengths, nmt::BatchLimits{3, 10}, one_length);
    std::vector<std::size_t> order;
    for (const auto& batch : batches) {
      BOOST_TEST(!batch.empty());
      BOOST_TEST(batch.size() <= 3u);
      std::size_t tokens = 0;
      for (const auto index : batch) tokens += lengths[index];
      BOOST_TEST((batch.size() == 1 || tokens <= 10));
      if (one_length)
        for (const auto index : batch) BOOST_TEST(lengths[index] == lengths[batch.front()]);
      order.insert(order.end(), batch.begin(), batch.end());
    }
    // Every non-empty source once, shortest first, input order within a length.
    const std::vector<std::size_t> expected{4, 8, 2, 5, 6, 0, 3, 9, 7};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
  }
  // Mixed lengths fill batches up to the limits; one length per batch splits at every new length.
  const auto mixed = nmt::plan_inference_batches(lengths, nmt::BatchLimits{3, 10}, false);
  BOOST_TEST(mixed.front() == (nmt::BatchIndices{4, 8, 2}), boost::test_tools::per_element());
  const auto split = nmt::plan_inference_batches(lengths, nmt::BatchLimits{3, 10}, true);
  BOOST_TEST(split.front() == (nmt::BatchIndices{4, 8}), boost::test_tools::per_element());
  // A sentence over the token limit still gets a batch of its own.
  const auto alone = nmt::plan_inference_batches({20, 2}, nmt::BatchLimits{8, 10}, false);
  BOOST_TEST(alone.size() == 2u);
  BOOST_CHECK_THROW(nmt::plan_inference_batches(lengths, nmt::BatchLimits{0, 0}, false), nmt::Error);
}
