#define BOOST_TEST_MODULE decoder
#include <boost/test/unit_test.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "nmt/core/error.h"
#include "nmt/decoder/search/beam_search.h"
#include "nmt/decoder/search/decode.h"
#include "nmt/decoder/search/greedy_search.h"
#include "nmt/decoder/search/length_normalization.h"
#include "nmt/model/scorer.h"
#include "nmt/model/translator.h"
#include "nmt/tokenization/subword_model.h"
#include "tiny_model.h"

namespace {

using nmt::testing::beam_options;
using nmt::testing::kAttentions;
using nmt::testing::kLogProbabilityTolerance;
using nmt::testing::kTargetVocab;
using nmt::testing::random_sources;
using nmt::testing::TinyModel;

// Every output of up to max_length tokens (any id but </s>), scored by
// teacher forcing and ranked as the search ranks them, best first.
std::vector<nmt::Hypothesis> exhaustive_search(TinyModel& model, const std::vector<int>& source,
                                               int max_length, const nmt::DecodingOptions& options) {
  std::vector<std::vector<int>> outputs{{}};
  for (std::size_t begin = 0, length = 1; length <= static_cast<std::size_t>(max_length); ++length) {
    const std::size_t end = outputs.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (int token = 0; token < kTargetVocab; ++token) {
        if (token == nmt::kEosId) continue;
        auto longer = outputs[i];
        longer.push_back(token);
        outputs.push_back(std::move(longer));
      }
    }
    begin = end;
  }
  std::vector<nmt::SentencePair> pairs;
  for (const auto& output : outputs) pairs.push_back({source, output});
  nmt::Scorer scorer(model.network);
  const auto log_probabilities = scorer.score_ids(pairs, {});
  std::vector<nmt::Hypothesis> ranked;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const int length = static_cast<int>(outputs[i].size()) + 1;
    ranked.push_back({outputs[i], log_probabilities[i],
                      nmt::normalized_score(log_probabilities[i], length, options), {}});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const nmt::Hypothesis& a, const nmt::Hypothesis& b) { return a.score > b.score; });
  return ranked;
}

}  // namespace

BOOST_DATA_TEST_CASE(beam_size_one_gives_exactly_the_greedy_output,
                     boost::unit_test::data::make(kAttentions), attention) {
  TinyModel model(1, attention);
  const auto sources = random_sources(6, 5, 11);
  for (const auto normalization : {nmt::LengthNormalization::wu, nmt::LengthNormalization::average}) {
    const auto options = beam_options(1, 1, normalization);
    nmt::GreedySearch greedy;
    nmt::BeamSearch beam;
    const auto expected = model.search(greedy, sources, 12, options);
    const auto found = model.search(beam, sources, 12, options);
    for (std::size_t i = 0; i < sources.size(); ++i) {
      BOOST_TEST_REQUIRE(found[i].size() == 1u);
      BOOST_TEST(found[i][0].tokens == expected[i][0].tokens);
      BOOST_TEST(found[i][0].log_probability == expected[i][0].log_probability);
      BOOST_TEST(found[i][0].score == expected[i][0].score);
    }
  }
}

// Attention's share here is the encoder outputs repeated per beam, the same
// for both scores, so one of them is enough (the test is slow).
BOOST_DATA_TEST_CASE(a_beam_wider_than_every_prefix_gives_the_exhaustive_n_best_list,
                     boost::unit_test::data::make({"none", "general"}), attention) {
  // 7 tokens may follow each prefix: 343 outputs of 3 tokens, 400 in all.
  TinyModel model(2, attention);
  const int max_length = 3;
  const auto sources = random_sources(3, 4, 12);
  for (const auto normalization : {nmt::LengthNormalization::none, nmt::LengthNormalization::wu,
                                    nmt::LengthNormalization::average}) {
    const auto options = beam_options(400, 10, normalization);
    nmt::BeamSearch beam;
    const auto found = model.search(beam, sources, max_length, options);
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const auto expected = exhaustive_search(model, sources[i], max_length, options);
      BOOST_TEST_REQUIRE(found[i].size() == 10u);
      for (std::size_t rank = 0; rank < found[i].size(); ++rank) {
        BOOST_TEST(found[i][rank].tokens == expected[rank].tokens,
                   nmt::to_string(normalization) << ": sentence " << i << ", rank " << rank);
        BOOST_TEST(std::abs(found[i][rank].log_probability - expected[rank].log_probability) <=
                   kLogProbabilityTolerance);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_large_beam_finds_the_exhaustive_best) {
  // 2,801 outputs of up to 4 tokens; a beam of 16 keeps a fraction of them.
  TinyModel model(3);
  const int max_length = 4;
  const auto sources = random_sources(8, 3, 13);
  for (const auto normalization : {nmt::LengthNormalization::none, nmt::LengthNormalization::wu}) {
    const auto options = beam_options(16, 1, normalization);
    nmt::BeamSearch beam;
    const auto found = model.search(beam, sources, max_length, options);
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const auto best = exhaustive_search(model, sources[i], max_length, options).front();
      BOOST_TEST(found[i].front().tokens == best.tokens,
                 nmt::to_string(normalization) << ": sentence " << i);
    }
  }
}

BOOST_DATA_TEST_CASE(the_scorer_gives_the_log_probability_the_search_reported,
                     boost::unit_test::data::make(kAttentions), attention) {
  TinyModel model(4, attention);
  const auto sources = random_sources(5, 6, 14);
  nmt::BeamSearch beam;
  nmt::GreedySearch greedy;
  for (nmt::SearchStrategy* search : std::vector<nmt::SearchStrategy*>{&greedy, &beam}) {
    const auto options = beam_options(search == &beam ? 5 : 1, search == &beam ? 5 : 1,
                                      nmt::LengthNormalization::wu);
    const auto found = model.search(*search, sources, 15, options);
    for (std::size_t i = 0; i < sources.size(); ++i) {
      for (const auto& hypothesis : found[i]) {
        BOOST_TEST(std::abs(model.score(sources[i], hypothesis.tokens) - hypothesis.log_probability) <=
                   kLogProbabilityTolerance);
      }
    }
  }
}

BOOST_DATA_TEST_CASE(n_best_lists_are_sorted_distinct_and_at_most_n_long,
                     boost::unit_test::data::make(kAttentions), attention) {
  TinyModel model(5, attention);
  const auto sources = random_sources(6, 4, 15);
  for (const int n_best : {1, 3, 6}) {
    const auto options = beam_options(6, n_best, nmt::LengthNormalization::wu);
    nmt::BeamSearch beam;
    const auto found = model.search(beam, sources, 10, options);
    for (const auto& list : found) {
      BOOST_TEST(!list.empty());
      BOOST_TEST(list.size() <= static_cast<std::size_t>(n_best));
      std::set<std::vector<int>> distinct;
      for (std::size_t k = 0; k < list.size(); ++k) {
        distinct.insert(list[k].tokens);
        if (k > 0) BOOST_TEST(list[k - 1].score >= list[k].score);
        BOOST_TEST(list[k].score == nmt::normalized_score(list[k].log_probability,
                                                          static_cast<int>(list[k].tokens.size()) + 1, options));
      }
      BOOST_TEST(distinct.size() == list.size());
    }
  }
  BOOST_CHECK_THROW(nmt::decode(model.network.decoder(), model.start(sources), std::vector<int>(sources.size(), 10),
                                beam_options(2, 3, nmt::LengthNormalization::wu)),
                    nmt::Error);
}

// Searches drop the rows of finished sentences as they go (compacted_row_count),
// so a sentence's rows move while it is decoded: the outputs, scores and
// attention histories must still be those of the sentence searched alone.
BOOST_DATA_TEST_CASE(batched_translation_equals_one_sentence_at_a_time,
                     boost::unit_test::data::make(kAttentions), attention) {
  TinyModel model(6, attention);
  std::vector<std::vector<int>> sources;
  for (int length : {3, 5, 3, 0, 7, 5, 3, 9, 2, 6, 4, 8}) {
    auto more = random_sources(3, length, 100 + static_cast<uint64_t>(sources.size()));
    sources.insert(sources.end(), more.begin(), more.end());
  }
  nmt::Translator translator(model.network);
  for (auto options : {beam_options(1, 1, nmt::LengthNormalization::wu),
                       beam_options(4, 3, nmt::LengthNormalization::wu)}) {
    options.attention_history = attention != std::string("none");
    const auto batched = translator.translate_ids(sources, options, {64, 0});
    const auto by_tokens = translator.translate_ids(sources, options, {64, 10});
    const auto single = translator.translate_ids(sources, options, {1, 0});
    std::vector<std::size_t> lengths;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      BOOST_TEST_REQUIRE(batched[i].size() == single[i].size());
      BOOST_TEST_REQUIRE(by_tokens[i].size() == single[i].size());
      for (std::size_t k = 0; k < single[i].size(); ++k) {
        BOOST_TEST(batched[i][k].tokens == single[i][k].tokens, "sentence " << i << ", entry " << k);
        BOOST_TEST(by_tokens[i][k].tokens == single[i][k].tokens);
        BOOST_TEST(std::abs(batched[i][k].log_probability - single[i][k].log_probability) <=
                   kLogProbabilityTolerance);
        BOOST_TEST_REQUIRE(batched[i][k].attention.size() == single[i][k].attention.size());
        for (std::size_t t = 0; t < single[i][k].attention.size(); ++t) {
          const auto &found = batched[i][k].attention[t], &expected = single[i][k].attention[t];
          BOOST_TEST_REQUIRE(found.size() == expected.size());
          for (std::size_t j = 0; j < found.size(); ++j)
            BOOST_TEST(std::abs(found[j] - expected[j]) <= 1e-4f, "sentence " << i << ", token " << t);
        }
      }
      if (sources[i].empty()) BOOST_TEST((single[i].size() == 1 && single[i][0].tokens.empty()));
      lengths.push_back(single[i][0].tokens.size());
    }
    // The batch of 36 rows (per beam) shrank: a third of its sentences ended
    // before its longest output did.
    const auto longest = *std::max_element(lengths.begin(), lengths.end());
    BOOST_TEST(std::count_if(lengths.begin(), lengths.end(), [&](std::size_t n) { return n < longest; }) >= 12);
  }
}

BOOST_AUTO_TEST_CASE(compacted_row_counts_are_few_and_hold_every_live_row) {
  const std::vector<int> expected{1, 2, 3, 4, 6, 6, 8, 8, 12, 12, 12, 12, 16};
  for (int live = 1; live <= 13; ++live) BOOST_TEST(nmt::compacted_row_count(live) == expected[live - 1]);
  BOOST_TEST(nmt::compacted_row_count(64) == 64);
  BOOST_TEST(nmt::compacted_row_count(65) == 96);
  BOOST_TEST(nmt::compacted_row_count(97) == 128);
  std::set<int> counts;
  for (int live = 1; live <= 320; ++live) {
    const int rows = nmt::compacted_row_count(live);
    BOOST_TEST(rows >= live);
    BOOST_TEST(3 * (rows - live) < rows + 2);  // at most a third padding (past 1, 2, 3 rows)
    counts.insert(rows);
  }
  BOOST_TEST(counts.size() == 17u);  // 1, 2, 3, 4, 6, ... 256, 384
  BOOST_CHECK_THROW(nmt::compacted_row_count(0), nmt::Error);
}
