// decode(): which search it runs and which options it refuses; the searches'
// attention history against an independent teacher-forced forward of the
// decoder on the output they chose.

#include <boost/test/unit_test.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>

#include "nmt/core/error.h"
#include "nmt/decoder/search/beam_search.h"
#include "nmt/decoder/search/decode.h"
#include "nmt/decoder/search/greedy_search.h"
#include "nmt/model/translator.h"
#include "nmt/tokenization/subword_model.h"
#include "tiny_model.h"

namespace {

using nmt::testing::beam_options;
using nmt::testing::random_sources;
using nmt::testing::TinyModel;

// A search step (oneDNN sgemm, one row at a time) and the teacher-forced
// forward (batched matmul over all steps) compute the same weights with
// different float rounding; the scores of these tiny models reach ~100, where
// float's relative 1e-7 becomes ~1e-5 in the exponent.
constexpr float kWeightTolerance = 1e-4f;
constexpr float kSumTolerance = 1e-5f;

const auto kWu = nmt::LengthNormalization::wu;

std::vector<int> limits(std::size_t count, int max_length) { return std::vector<int>(count, max_length); }

// The weights [T][L] of a teacher-forced forward of the decoder on `output`
// (<s> output, T = output.size() + 1 steps, the last one predicting </s>),
// over source positions in the order the encoder read them.
std::vector<std::vector<float>> teacher_forced_attention(TinyModel& model, const std::vector<int>& source,
                                                         const std::vector<int>& output) {
  std::vector<int> laid_out;
  nmt::layout_sources({&source}, model.network.config().reverse_source, laid_out);
  const int length = static_cast<int>(source.size());
  auto& decoder = model.network.decoder();
  model.network.encoder().forward(laid_out.data(), length, 1, false);
  decoder.attend_to(model.network.encoder().outputs(), {length});
  std::vector<int> input{decoder.start_id()};
  input.insert(input.end(), output.begin(), output.end());
  const int steps = static_cast<int>(input.size());
  decoder.forward(input.data(), steps, 1, model.network.encoder().context(), false);
  const nmt::Tensor& weights = decoder.attention_weights();  // [1, T, S]
  BOOST_TEST_REQUIRE(weights.dim(2) == length);
  std::vector<std::vector<float>> rows;
  for (int t = 0; t < steps; ++t) rows.emplace_back(weights.data() + t * length, weights.data() + (t + 1) * length);
  return rows;
}

std::size_t argmax(const std::vector<float>& weights) {
  return static_cast<std::size_t>(std::max_element(weights.begin(), weights.end()) - weights.begin());
}

// The hypothesis's attention: a row per token and </s>, each over the real
// source positions, summing to 1, with the teacher-forced argmax (the hard
// alignment) and weights (the soft one). to_model maps a position of the
// hypothesis's rows to the encoder's.
void check_attention(TinyModel& model, const std::vector<int>& source, const nmt::Hypothesis& hypothesis,
                     const std::function<std::size_t(std::size_t)>& to_model, const std::string& what) {
  const auto expected = teacher_forced_attention(model, source, hypothesis.tokens);
  BOOST_TEST_REQUIRE(hypothesis.attention.size() == hypothesis.tokens.size() + 1, what);
  for (std::size_t t = 0; t < expected.size(); ++t) {
    const auto& found = hypothesis.attention[t];
    BOOST_TEST_REQUIRE(found.size() == source.size(), what << ", token " << t);
    BOOST_TEST(std::abs(std::accumulate(found.begin(), found.end(), 0.0f) - 1.0f) <= kSumTolerance);
    std::vector<float> in_model_order(found.size());
    for (std::size_t i = 0; i < found.size(); ++i) in_model_order[to_model(i)] = found[i];
    BOOST_TEST(argmax(in_model_order) == argmax(expected[t]), what << ", token " << t);
    for (std::size_t j = 0; j < found.size(); ++j)
      BOOST_TEST(std::abs(in_model_order[j] - expected[t][j]) <= kWeightTolerance,
                 what << ", token " << t << ", position " << j);
  }
}

std::size_t same_position(std::size_t j) { return j; }

}  // namespace

BOOST_AUTO_TEST_CASE(decode_runs_greedy_search_for_beam_size_one_and_beam_search_otherwise) {
  TinyModel model(21, "general");
  const auto sources = random_sources(5, 4, 31);
  auto& decoder = model.network.decoder();
  nmt::GreedySearch greedy;
  nmt::BeamSearch beam;
  const auto one = beam_options(1, 1, kWu);
  const auto four = beam_options(4, 3, kWu);
  const auto by_greedy = greedy.search(decoder, model.start(sources), limits(sources.size(), 9), one);
  const auto by_beam = beam.search(decoder, model.start(sources), limits(sources.size(), 9), four);
  const auto decoded_one = nmt::decode(decoder, model.start(sources), limits(sources.size(), 9), one);
  const auto decoded_four = nmt::decode(decoder, model.start(sources), limits(sources.size(), 9), four);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    BOOST_TEST_REQUIRE(decoded_one[i].size() == 1u);
    BOOST_TEST(decoded_one[i][0].tokens == by_greedy[i][0].tokens);
    BOOST_TEST(decoded_one[i][0].log_probability == by_greedy[i][0].log_probability);
    // Only beam search returns 3 entries.
    BOOST_TEST_REQUIRE(decoded_four[i].size() == 3u);
    BOOST_TEST_REQUIRE(by_beam[i].size() == 3u);
    for (std::size_t k = 0; k < 3; ++k) {
      BOOST_TEST(decoded_four[i][k].tokens == by_beam[i][k].tokens);
      BOOST_TEST(decoded_four[i][k].score == by_beam[i][k].score);
    }
  }
}

BOOST_AUTO_TEST_CASE(decode_refuses_bad_options) {
  TinyModel plain(22), attending(22, "dot");
  const auto sources = random_sources(3, 4, 32);
  const auto refuses = [&](TinyModel& model, const nmt::DecodingOptions& options, std::size_t limit_count) {
    BOOST_CHECK_THROW(nmt::decode(model.network.decoder(), model.start(sources), limits(limit_count, 8), options),
                      nmt::Error);
  };
  refuses(plain, beam_options(0, 1, kWu), 3);
  refuses(plain, beam_options(2, 3, kWu), 3);
  refuses(plain, beam_options(2, 0, kWu), 3);
  refuses(plain, beam_options(2, 2, kWu), 2);  // a length limit short
  auto history = beam_options(2, 2, kWu);
  history.attention_history = true;
  refuses(plain, history, 3);  // no attention to keep
  BOOST_CHECK_NO_THROW(nmt::decode(attending.network.decoder(), attending.start(sources), limits(3, 8), history));
}

BOOST_AUTO_TEST_CASE(searches_end_hypotheses_with_the_decoders_end_id) {
  TinyModel model(23, "dot");
  const auto sources = random_sources(6, 5, 33);
  auto& decoder = model.network.decoder();
  const auto options = beam_options(1, 1, kWu);
  const auto before = nmt::decode(decoder, model.start(sources), limits(sources.size(), 12), options);
  // A token greedy search chose somewhere becomes the end id: it now ends
  // every output that had it at its first occurrence, and the old </s> is a
  // token like any other.
  int new_end = -1;
  for (const auto& n_best : before)
    if (!n_best[0].tokens.empty()) new_end = n_best[0].tokens.front();
  BOOST_TEST_REQUIRE(new_end >= 0);
  decoder.set_token_ids(nmt::kBosId, new_end);
  const auto after = nmt::decode(decoder, model.start(sources), limits(sources.size(), 12), options);
  const auto beams = nmt::decode(decoder, model.start(sources), limits(sources.size(), 12), beam_options(4, 4, kWu));
  decoder.set_token_ids(nmt::kBosId, nmt::kEosId);
  int cut = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& tokens = before[i][0].tokens;
    const auto first = std::find(tokens.begin(), tokens.end(), new_end);
    const auto& now = after[i][0].tokens;
    if (first != tokens.end()) {
      ++cut;
      BOOST_TEST(now == std::vector<int>(tokens.begin(), first), "sentence " << i);
    } else if (tokens.size() < 12) {
      auto carried_on = tokens;
      carried_on.push_back(nmt::kEosId);
      BOOST_TEST_REQUIRE(now.size() >= carried_on.size());
      BOOST_TEST(std::vector<int>(now.begin(), now.begin() + static_cast<std::ptrdiff_t>(carried_on.size())) ==
                     carried_on,
                 "sentence " << i);
    }
    for (const auto& hypothesis : beams[i])
      BOOST_TEST(std::count(hypothesis.tokens.begin(), hypothesis.tokens.end(), new_end) == 0);
  }
  BOOST_TEST(cut > 0);
}

BOOST_DATA_TEST_CASE(greedy_and_beam_size_one_keep_the_same_attention,
                     boost::unit_test::data::make({"dot", "general"}), attention) {
  TinyModel model(24, attention);
  const auto sources = random_sources(4, 5, 34);
  auto options = beam_options(1, 1, kWu);
  options.attention_history = true;
  nmt::GreedySearch greedy;
  nmt::BeamSearch beam;
  const auto expected = greedy.search(model.network.decoder(), model.start(sources), limits(4, 10), options);
  const auto found = beam.search(model.network.decoder(), model.start(sources), limits(4, 10), options);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    BOOST_TEST(found[i][0].tokens == expected[i][0].tokens);
    BOOST_TEST(found[i][0].attention == expected[i][0].attention);
  }
}

BOOST_DATA_TEST_CASE(each_hypothesis_keeps_the_attention_a_teacher_forced_forward_gives_it,
                     boost::unit_test::data::make({"dot", "general"}), attention) {
  TinyModel model(25, attention);
  const auto sources = random_sources(4, 6, 35);
  for (const auto& base : {beam_options(1, 1, kWu), beam_options(5, 5, kWu)}) {
    auto options = base;
    options.attention_history = true;
    const auto found = nmt::decode(model.network.decoder(), model.start(sources), limits(4, 12), options);
    std::size_t distinct_rows = 0;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      BOOST_TEST_REQUIRE(found[i].size() == static_cast<std::size_t>(options.n_best));
      for (std::size_t k = 0; k < found[i].size(); ++k) {
        const std::string what = std::string(attention) + ", beam " + std::to_string(options.beam_size) + ", sentence " +
                                 std::to_string(i) + ", entry " + std::to_string(k);
        check_attention(model, sources[i], found[i][k], same_position, what);
        // Hypotheses of one sentence differ in their attention too, so a
        // history taken from the wrong beam would be caught.
        if (k > 0) distinct_rows += found[i][k].attention != found[i][0].attention;
      }
    }
    if (options.beam_size > 1) BOOST_TEST(distinct_rows > 0u);
  }
}

BOOST_DATA_TEST_CASE(translator_attention_counts_source_positions_in_the_sources_own_order,
                     boost::unit_test::data::make({false, true}), reverse_source) {
  TinyModel model(26, "general", reverse_source);
  // Several lengths in one decoder batch: shorter sources see padding.
  std::vector<std::vector<int>> sources;
  for (const int length : {3, 6, 0, 4, 6}) {
    auto more = random_sources(2, length, 200 + static_cast<uint64_t>(sources.size()));
    sources.insert(sources.end(), more.begin(), more.end());
  }
  nmt::Translator translator(model.network);
  for (const auto& base : {beam_options(1, 1, kWu), beam_options(4, 2, kWu)}) {
    auto options = base;
    const auto without = translator.translate_ids(sources, options, {64, 0});
    options.attention_history = true;
    const auto found = translator.translate_ids(sources, options, {64, 0});
    for (std::size_t i = 0; i < sources.size(); ++i) {
      BOOST_TEST_REQUIRE(found[i].size() == without[i].size());
      for (std::size_t k = 0; k < found[i].size(); ++k) {
        BOOST_TEST(without[i][k].attention.empty());  // kept only when asked for
        BOOST_TEST(found[i][k].tokens == without[i][k].tokens);
        if (sources[i].empty()) {
          BOOST_TEST(found[i][k].attention.empty());
          continue;
        }
        const std::size_t length = sources[i].size();
        check_attention(model, sources[i], found[i][k],
                        [&](std::size_t j) { return reverse_source ? length - 1 - j : j; },
                        std::string(reverse_source ? "reversed" : "in order") + ", sentence " + std::to_string(i));
      }
    }
  }
}
