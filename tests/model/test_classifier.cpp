// The sentence classifier (ModelConfig::task classify): the encoder, pooled,
// then a linear layer and softmax over labels. Its gradient against finite
// differences for every pooling (and a bidirectional encoder), and a
// separable toy task learnt to 100 % accuracy.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>

#include "nmt/core/error.h"
#include "nmt/core/random.h"
#include "nmt/model/batching.h"
#include "nmt/model/seq2seq_model.h"
#include "nmt/training/gradients.h"
#include "nmt/training/optimizer.h"
#include "finite_differences.h"

namespace {

nmt::ModelConfig classifier_config(nmt::Pooling pooling, bool bidirectional = false, int layers = 2) {
  nmt::ModelConfig config;
  config.task = nmt::ModelTask::classify;
  config.attention = std::nullopt;
  config.source_vocab_size = config.target_vocab_size = 12;
  config.labels = 3;
  config.pooling = pooling;
  config.embedding_size = 4;
  config.hidden_size = 6;
  config.layers = layers;
  config.dropout = 0.0f;
  config.bidirectional_encoder = bidirectional;
  return config;
}

void check_classifier_gradient_in_context(nmt::Pooling pooling, bool bidirectional, int layers);

// Sentences of one length with a label each, as pairs (target: the label).
std::vector<nmt::SentencePair> labelled(int count, int length, int vocab, int labels, std::uint64_t seed) {
  nmt::Rng rng(seed);
  std::vector<nmt::SentencePair> pairs(static_cast<std::size_t>(count));
  for (auto& pair : pairs) {
    pair.source.resize(static_cast<std::size_t>(length));
    for (auto& id : pair.source) id = 4 + static_cast<int>(rng.next() % static_cast<std::uint64_t>(vocab - 4));
    pair.target = {static_cast<int>(rng.next() % static_cast<std::uint64_t>(labels))};
  }
  return pairs;
}

void check_classifier_gradient(nmt::Pooling pooling, bool bidirectional, int layers) {
  BOOST_TEST_CONTEXT("pooling " << nmt::enum_name(nmt::pooling_names(), pooling) << ", bidirectional "
                                << bidirectional << ", " << layers << " layers")
  check_classifier_gradient_in_context(pooling, bidirectional, layers);
}

void check_classifier_gradient_in_context(nmt::Pooling pooling, bool bidirectional, int layers) {
  nmt::DnnContext dnn;
  const auto config = classifier_config(pooling, bidirectional, layers);
  nmt::Seq2SeqModel model(dnn, config);
  model.initialize(3);
  BOOST_TEST(static_cast<std::int64_t>(model.parameter_count()) == config.parameter_count());
  for (const auto& p : model.parameters())
    for (std::size_t i = 0; i < p.size; ++i) p.value[i] *= 4.0f;
  model.weights_changed();
  const auto pairs = labelled(4, 5, 12, 3, 9);
  const auto batch = nmt::make_batch(pairs, {0, 1, 2, 3}, true);
  model.zero_grad();
  model.train_batch(batch, 0.0f, 1.0f, 0);
  const auto argmax = model.classifier_head()->argmax();
  // Max pooling is not differentiable where a perturbation moves a maximum to
  // another position: those entries are left out (and counted).
  int entries = 0;  // as many as the check visits: every p.size / 12-th of each tensor
  for (const auto& p : model.parameters()) {
    const std::size_t stride = std::max<std::size_t>(1, p.size / 12);
    entries += static_cast<int>((p.size + stride - 1) / stride);
  }
  const int checked = nmt::testing::check_against_finite_differences(
      model, batch, 12, [&] { return model.classifier_head()->argmax() != argmax; });
  const int switched = entries - checked;
  BOOST_TEST(checked > 40);
  BOOST_TEST(switched * 5 < checked, switched << " of " << checked + switched << " perturbations moved a maximum");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(classifier)

BOOST_AUTO_TEST_CASE(gradient_matches_finite_differences_for_every_pooling) {
  check_classifier_gradient(nmt::Pooling::final, false, 2);
  check_classifier_gradient(nmt::Pooling::mean, false, 2);
  check_classifier_gradient(nmt::Pooling::max, false, 1);
  check_classifier_gradient(nmt::Pooling::mean, true, 1);   // 2H-wide states
  check_classifier_gradient(nmt::Pooling::final, true, 2);  // the summed directions below
}

BOOST_AUTO_TEST_CASE(config_round_trips_and_checks_its_labels) {
  auto config = classifier_config(nmt::Pooling::max);
  const auto read = nmt::ModelConfig::from_json(config.to_json(), "test");
  BOOST_TEST(read.labels == 3);
  BOOST_TEST(static_cast<int>(read.pooling) == static_cast<int>(nmt::Pooling::max));
  BOOST_TEST(static_cast<int>(read.task) == static_cast<int>(nmt::ModelTask::classify));
  config.labels = 1;
  BOOST_CHECK_THROW(config.validate(), nmt::Error);
  config.labels = 3;
  config.attention = nmt::layers::AttentionType::dot;
  BOOST_CHECK_THROW(config.validate(), nmt::Error);
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, classifier_config(nmt::Pooling::final));
  BOOST_CHECK_THROW(model.decoder(), nmt::Error);
}

BOOST_AUTO_TEST_CASE(a_separable_task_is_learnt_to_every_sentence) {
  // The label is which of three words the sentence holds (ids 4, 5, 6; the
  // others 7..11 are noise), wherever it stands.
  nmt::DnnContext dnn;
  auto config = classifier_config(nmt::Pooling::max, false, 1);
  config.embedding_size = 16;
  config.hidden_size = 32;
  nmt::Seq2SeqModel model(dnn, config);
  model.initialize(1);
  nmt::Rng rng(5);
  std::vector<nmt::SentencePair> pairs;
  for (int i = 0; i < 60; ++i) {
    const int length = 3 + i % 4, label = i % 3;
    nmt::SentencePair pair;
    for (int t = 0; t < length; ++t) pair.source.push_back(7 + static_cast<int>(rng.next() % 5));
    pair.source[rng.next() % static_cast<std::uint64_t>(length)] = 4 + label;
    pair.target = {label};
    pairs.push_back(pair);
  }
  nmt::Optimizer adam({}, model.parameters());
  for (int epoch = 0; epoch < 60; ++epoch) {
    for (const auto& indices : nmt::plan_training_batches(pairs, {8, 0}, 3, static_cast<std::uint64_t>(epoch))) {
      const auto batch = nmt::make_batch(pairs, indices, true);
      model.zero_grad();
      model.train_batch(batch, 0.0f, 1.0f / batch.batch_size, static_cast<std::uint64_t>(epoch));
      nmt::clip_gradient_norm(model.parameters(), 5.0);
      adam.step(0.01);
      model.weights_changed();
    }
  }
  int errors = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto batch = nmt::make_batch(pairs, {i}, true);
    const auto& probabilities = model.classify_batch(batch);
    const float* row = probabilities.data();
    const int predicted = static_cast<int>(std::max_element(row, row + config.labels) - row);
    errors += predicted != pairs[i].target[0];
    BOOST_TEST(std::abs(row[0] + row[1] + row[2] - 1.0f) < 1e-5f);
  }
  BOOST_TEST(errors == 0);
}

BOOST_AUTO_TEST_SUITE_END()
