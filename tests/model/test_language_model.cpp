// The language model (ModelConfig::task lm): the decoder alone from zero
// states. Its gradient against finite differences, its configuration, and
// generation: greedy equals the argmax of a teacher-forced forward over the
// generated text (an independent path), draws repeat with their seed, and
// each sampling method draws only where it should, as often as it should.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "nmt/core/error.h"
#include "nmt/core/random.h"
#include "nmt/decoder/search/sampling.h"
#include "nmt/model/batching.h"
#include "nmt/model/generator.h"
#include "nmt/model/seq2seq_model.h"
#include "nmt/tokenization/subword_model.h"
#include "finite_differences.h"

namespace {

nmt::ModelConfig lm_config(bool tied = false, int layers = 2) {
  nmt::ModelConfig config;
  config.task = nmt::ModelTask::lm;
  config.attention = std::nullopt;
  config.source_vocab_size = config.target_vocab_size = 10;
  config.embedding_size = tied ? 6 : 4;
  config.hidden_size = 6;
  config.layers = layers;
  config.dropout = 0.0f;
  config.tied_embeddings = tied;
  return config;
}

// Texts of 1-6 tokens above the reserved ids, as pairs without a source.
std::vector<nmt::SentencePair> random_texts(int count, int vocab, uint64_t seed) {
  nmt::Rng rng(seed);
  std::vector<nmt::SentencePair> pairs(static_cast<std::size_t>(count));
  for (auto& pair : pairs) {
    pair.target.resize(1 + rng.next() % 6);
    for (auto& id : pair.target) id = 4 + static_cast<int>(rng.next() % static_cast<std::uint64_t>(vocab - 4));
  }
  return pairs;
}

// Weights 4x the initialization's, so gradients and logits are not tiny.
void scale_weights(nmt::Seq2SeqModel& model) {
  for (const auto& p : model.parameters())
    for (std::size_t i = 0; i < p.size; ++i) p.value[i] *= 4.0f;
  model.weights_changed();
}

void check_lm_gradient(bool tied, int layers) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, lm_config(tied, layers));
  model.initialize(5);
  scale_weights(model);
  const auto pairs = random_texts(4, 10, 11);
  const auto batch = nmt::make_batch(pairs, {0, 1, 2, 3}, true);
  BOOST_TEST(batch.source_length == 0);
  model.zero_grad();
  model.train_batch(batch, 0.0f, 1.0f, 0);
  for (const auto& p : model.parameters())
    BOOST_TEST(p.name.rfind("decoder/", 0) == 0, p.name << ": a language model has the decoder's weights only");
  BOOST_TEST(nmt::testing::check_against_finite_differences(model, batch, 15) > 60);
}

// The argmax of each row of a teacher-forced forward over <s> + ids.
std::vector<int> argmax_path(nmt::Seq2SeqModel& model, const std::vector<int>& ids) {
  nmt::SentencePair pair{{}, ids};
  const auto batch = nmt::make_batch({pair}, {0}, true);
  auto& decoder = model.decoder();
  const nmt::Tensor& logits =
      decoder.forward(batch.target_input.data(), batch.target_length, 1, model.decoder_context(), false);
  std::vector<int> best;
  for (int t = 0; t < batch.target_length; ++t) {
    const float* row = logits.data() + static_cast<std::size_t>(t) * decoder.vocab_size();
    best.push_back(static_cast<int>(std::max_element(row, row + decoder.vocab_size()) - row));
  }
  return best;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(language_model)

BOOST_AUTO_TEST_CASE(gradient_matches_finite_differences) {
  check_lm_gradient(false, 2);
  check_lm_gradient(true, 1);
}

BOOST_AUTO_TEST_CASE(config_round_trips_and_counts_the_decoder_only) {
  const auto config = lm_config();
  const auto json = config.to_json();
  BOOST_TEST(json.find("\"task\": \"lm\"") != std::string::npos);
  const auto read = nmt::ModelConfig::from_json(json, "test");
  BOOST_TEST(static_cast<int>(read.task) == static_cast<int>(nmt::ModelTask::lm));
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, config);
  BOOST_TEST(static_cast<std::int64_t>(model.parameter_count()) == config.parameter_count());
  BOOST_CHECK_THROW(model.encoder(), nmt::Error);
  // A translation config keeps the JSON it had before language models.
  nmt::ModelConfig translation = config;
  translation.task = nmt::ModelTask::translation;
  BOOST_TEST(translation.to_json().find("task") == std::string::npos);
  BOOST_TEST(static_cast<int>(nmt::ModelConfig::from_json(translation.to_json(), "t").task) ==
             static_cast<int>(nmt::ModelTask::translation));
}

BOOST_AUTO_TEST_CASE(a_language_model_has_no_attention) {
  auto config = lm_config();
  config.attention = nmt::layers::AttentionType::dot;
  BOOST_CHECK_THROW(config.validate(), nmt::Error);
  config.attention = std::nullopt;
  config.bidirectional_encoder = true;
  BOOST_CHECK_THROW(config.validate(), nmt::Error);
}

BOOST_AUTO_TEST_CASE(greedy_generation_is_the_argmax_path_of_a_teacher_forced_forward) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, lm_config());
  model.initialize(7);
  scale_weights(model);
  nmt::Generator generator(model);
  nmt::SamplingOptions greedy;
  greedy.method = nmt::SamplingMethod::greedy;
  greedy.max_length = 12;
  const std::vector<std::vector<int>> prompts{{}, {5, 6}, {9}, {4, 4, 7, 8}};
  const auto generated = generator.generate_ids(prompts, greedy);
  BOOST_TEST_REQUIRE(generated.size() == prompts.size());
  int tokens = 0;
  for (std::size_t r = 0; r < prompts.size(); ++r) {
    std::vector<int> text = prompts[r];
    text.insert(text.end(), generated[r].begin(), generated[r].end());
    const auto best = argmax_path(model, text);  // best[t]: the choice after <s> + text[0 .. t)
    for (std::size_t i = 0; i < generated[r].size(); ++i)
      BOOST_TEST(generated[r][i] == best[prompts[r].size() + i], "row " << r << " token " << i);
    // It stopped at </s>, or at the length limit.
    if (static_cast<int>(generated[r].size()) < greedy.max_length)
      BOOST_TEST(best[text.size()] == model.decoder().end_id(), "row " << r << " stops where </s> is the argmax");
    tokens += static_cast<int>(generated[r].size());
  }
  BOOST_TEST(tokens > 0);  // not a vacuous comparison
}

BOOST_AUTO_TEST_CASE(sampling_repeats_with_its_seed) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, lm_config());
  model.initialize(7);
  nmt::Generator generator(model);
  const std::vector<std::vector<int>> prompts(8, std::vector<int>{5});
  for (const auto method : {nmt::SamplingMethod::temperature, nmt::SamplingMethod::topk, nmt::SamplingMethod::topp}) {
    nmt::SamplingOptions options;
    options.method = method;
    options.top_k = 5;
    options.max_length = 20;
    options.seed = 3;
    const auto first = generator.generate_ids(prompts, options);
    BOOST_TEST((generator.generate_ids(prompts, options) == first));
    options.seed = 4;
    BOOST_TEST((generator.generate_ids(prompts, options) != first));
    // Rows of one call draw from generators of their own.
    BOOST_TEST((std::count(first.begin(), first.end(), first.front()) < static_cast<long>(first.size())));
  }
}

BOOST_AUTO_TEST_CASE(each_method_draws_where_and_as_often_as_it_should) {
  // Probabilities 0.4, 0.3, 0.2, 0.1 (logits their logs), ids 0..3.
  const std::vector<float> logits{std::log(0.4f), std::log(0.3f), std::log(0.2f), std::log(0.1f)};
  std::mt19937_64 rng(1);
  nmt::SamplingScratch scratch;
  const int draws = 40000;
  const auto frequencies = [&](const nmt::SamplingOptions& options) {
    std::map<int, double> seen;
    for (int i = 0; i < draws; ++i) seen[nmt::choose_token(logits.data(), 4, options, rng, scratch)] += 1.0 / draws;
    return seen;
  };
  nmt::SamplingOptions options;
  options.method = nmt::SamplingMethod::greedy;
  BOOST_TEST(nmt::choose_token(logits.data(), 4, options, rng, scratch) == 0);
  // Plain sampling: the softmax itself (3 standard deviations of 40,000 draws: 0.0075).
  options.method = nmt::SamplingMethod::temperature;
  auto seen = frequencies(options);
  for (int v = 0; v < 4; ++v) BOOST_TEST(std::abs(seen[v] - std::exp(logits[v])) < 0.0075, "token " << v);
  // Temperature 0.5 squares the probabilities: 16:9:4:1 of 30.
  options.temperature = 0.5f;
  seen = frequencies(options);
  const double squared[] = {16 / 30.0, 9 / 30.0, 4 / 30.0, 1 / 30.0};
  for (int v = 0; v < 4; ++v) BOOST_TEST(std::abs(seen[v] - squared[v]) < 0.0075, "token " << v);
  options.temperature = 1.0f;
  // Top-2: 0.4 and 0.3 renormalized, never the others.
  options.method = nmt::SamplingMethod::topk;
  options.top_k = 2;
  seen = frequencies(options);
  BOOST_TEST(seen.count(2) + seen.count(3) == 0u);
  BOOST_TEST(std::abs(seen[0] - 4 / 7.0) < 0.0075);
  // Top-p 0.65: the fewest tokens holding 65 %, 0.4 + 0.3.
  options.method = nmt::SamplingMethod::topp;
  options.top_p = 0.65f;
  seen = frequencies(options);
  BOOST_TEST(seen.count(2) + seen.count(3) == 0u);
  BOOST_TEST(std::abs(seen[1] - 3 / 7.0) < 0.0075);
  // A tiny p or k = 1 is greedy.
  const auto only_the_first = [](const std::map<int, double>& f) { return f.size() == 1 && f.count(0) == 1; };
  options.top_p = 1e-4f;
  BOOST_TEST(only_the_first(frequencies(options)));
  options.method = nmt::SamplingMethod::topk;
  options.top_k = 1;
  BOOST_TEST(only_the_first(frequencies(options)));
  options.temperature = 0;
  BOOST_CHECK_THROW(nmt::check(options), nmt::Error);
}

BOOST_AUTO_TEST_CASE(a_translation_model_generates_nothing) {
  auto config = lm_config();
  config.task = nmt::ModelTask::translation;
  config.source_vocab_size = 12;
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, config);
  BOOST_CHECK_THROW(nmt::Generator{model}, nmt::Error);
}

BOOST_AUTO_TEST_SUITE_END()
