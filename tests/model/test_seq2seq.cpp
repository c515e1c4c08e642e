#define BOOST_TEST_MODULE model
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "nmt/core/error.h"
#include "nmt/core/random.h"
#include "nmt/decoder/search/greedy_search.h"
#include "nmt/model/seq2seq_model.h"
#include "nmt/tokenization/subword_model.h"
#include "nmt/model/batching.h"
#include "finite_differences.h"
#include "nmt/training/gradients.h"
#include "nmt/training/optimizer.h"

namespace {

// attention: "none", "dot" or "general".
nmt::ModelConfig tiny_config(bool tied, const std::string& attention = "none",
                             bool bidirectional = false, int layers = 2) {
  nmt::ModelConfig config;
  config.attention = nmt::parse_attention(attention);
  config.source_vocab_size = 12;
  config.target_vocab_size = 10;
  config.embedding_size = tied ? 6 : 4;
  config.hidden_size = 6;
  config.layers = layers;
  config.dropout = 0.0f;
  config.tied_embeddings = tied;
  config.bidirectional_encoder = bidirectional;
  return config;
}

// Random pairs with ids above the reserved ones.
std::vector<nmt::SentencePair> random_pairs(int count, int source_length, int source_vocab,
                                            int target_vocab, uint64_t seed) {
  nmt::Rng rng(seed);
  std::vector<nmt::SentencePair> pairs(count);
  for (auto& pair : pairs) {
    pair.source.resize(source_length);
    pair.target.resize(1 + rng.next() % 5);
    for (auto& id : pair.source) id = 4 + static_cast<int>(rng.next() % (source_vocab - 4));
    for (auto& id : pair.target) id = 4 + static_cast<int>(rng.next() % (target_vocab - 4));
  }
  return pairs;
}

void check_gradients_by_finite_differences(bool tied, const std::string& attention = "none",
                                           bool bidirectional = false, int layers = 2) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, tiny_config(tied, attention, bidirectional, layers));
  model.initialize(3);
  // Larger weights than the initialization, so that gradients are not tiny.
  for (const auto& p : model.parameters())
    for (std::size_t i = 0; i < p.size; ++i) p.value[i] *= 4.0f;
  model.weights_changed();
  const auto pairs = random_pairs(3, 4, 12, 10, 7);
  const auto batch = nmt::make_batch(pairs, {0, 1, 2}, true);

  model.zero_grad();
  model.train_batch(batch, 0.0f, 1.0f, 0);  // gradient of the summed loss

  // Attention keeps the loss at the size the bounds assume (its softmax and
  // tanh are smooth), so they hold with it.
  BOOST_TEST(nmt::testing::check_against_finite_differences(model, batch, 12) > 100);
}

}  // namespace

BOOST_AUTO_TEST_CASE(full_model_gradient_matches_finite_differences) {
  check_gradients_by_finite_differences(false);
}

BOOST_AUTO_TEST_CASE(tied_embeddings_gradient_matches_finite_differences) {
  check_gradients_by_finite_differences(true);
}

// With attention the encoder's gradient has two sources, the context and the
// attention over its outputs; every encoder weight checked here sees both.
BOOST_AUTO_TEST_CASE(dot_attention_gradient_matches_finite_differences) {
  check_gradients_by_finite_differences(false, "dot");
}

BOOST_AUTO_TEST_CASE(general_attention_gradient_matches_finite_differences) {
  check_gradients_by_finite_differences(false, "general");
}

// The bidirectional bottom layer's two directions both seed decoder layer 0
// (their sum) and, with attention, reach the outputs: through layer 1 with
// two layers, directly (2H wide) with one.
BOOST_AUTO_TEST_CASE(bidirectional_encoder_gradient_matches_finite_differences) {
  check_gradients_by_finite_differences(false, "none", true, 2);
  check_gradients_by_finite_differences(false, "none", true, 1);
}

BOOST_AUTO_TEST_CASE(bidirectional_encoder_with_attention_gradient_matches_finite_differences) {
  check_gradients_by_finite_differences(false, "dot", true, 2);
  check_gradients_by_finite_differences(false, "general", true, 2);
  check_gradients_by_finite_differences(false, "general", true, 1);
}

BOOST_AUTO_TEST_CASE(bidirectional_context_is_the_sum_of_the_directions) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, tiny_config(false, "none", true, 2));
  model.initialize(5);
  const auto batch = nmt::make_batch(random_pairs(3, 4, 12, 10, 2), {0, 1, 2}, true);
  auto& encoder = model.encoder();
  encoder.forward(batch.source.data(), batch.source_length, batch.batch_size, false);
  const nmt::Context context = encoder.context();
  BOOST_TEST_REQUIRE(context.size() == 2u);
  const auto& bottom = encoder.lstm().layer(0);
  const std::size_t state = 3 * 6;
  BOOST_TEST_REQUIRE(static_cast<std::size_t>(bottom.final_h().size()) == 2 * state);
  for (const auto& [summed, both] : {std::pair{context[0].h, &bottom.final_h()},
                                     std::pair{context[0].c, &bottom.final_c()}}) {
    BOOST_TEST_REQUIRE(summed->shape() == (nmt::Shape{3, 6}));
    for (std::size_t i = 0; i < state; ++i)
      BOOST_TEST((*summed)[i] == (*both)[i] + (*both)[state + i]);
  }
  // The upper layer is unidirectional: its state is the context as it is.
  BOOST_TEST(context[1].h == &encoder.lstm().layer(1).final_h());
  BOOST_TEST(encoder.outputs().dim(2) == 6);
}

BOOST_AUTO_TEST_CASE(bidirectional_encoder_round_trips_and_defaults_to_off) {
  for (const int layers : {1, 2}) {
    const auto config = tiny_config(false, "general", true, layers);
    const auto read = nmt::ModelConfig::from_json(config.to_json(), "model");
    BOOST_TEST(read.bidirectional_encoder);
    BOOST_TEST(read.encoder_output_size() == (layers == 1 ? 12 : 6));
  }
  // Off, the config is what it was before the key existed; without the key, off.
  const auto json = nlohmann::json::parse(tiny_config(false, "dot").to_json());
  BOOST_TEST(!json.contains("bidirectional_encoder"));
  BOOST_TEST(!nmt::ModelConfig::from_json(json.dump(), "old.nmt").bidirectional_encoder);
  auto bad = json;
  bad["bidirectional_encoder"] = "yes";
  BOOST_CHECK_EXCEPTION(nmt::ModelConfig::from_json(bad.dump(), "bad.nmt"), nmt::Error, [](const nmt::Error& e) {
    return std::string(e.what()).find("bad.nmt: bad model configuration") == 0;
  });
}

BOOST_AUTO_TEST_CASE(dot_attention_is_refused_over_a_one_layer_bidirectional_encoder) {
  BOOST_CHECK_EXCEPTION(tiny_config(false, "dot", true, 1).validate_architecture(), nmt::Error,
                        [](const nmt::Error& e) {
                          const std::string message = e.what();
                          return message.find("dot attention") != std::string::npos &&
                                 message.find("--attention general") != std::string::npos;
                        });
  nmt::DnnContext dnn;
  BOOST_CHECK_THROW(nmt::Seq2SeqModel(dnn, tiny_config(false, "dot", true, 1)), nmt::Error);
  tiny_config(false, "dot", true, 2).validate();
  tiny_config(false, "general", true, 1).validate();
}

BOOST_AUTO_TEST_CASE(bidirectional_encoder_adds_the_second_direction_and_nothing_else) {
  nmt::DnnContext dnn;
  const std::size_t E = 4, H = 6;
  const auto count = [&](const std::string& attention, bool bidirectional, int layers) {
    return nmt::Seq2SeqModel(dnn, tiny_config(false, attention, bidirectional, layers)).parameter_count();
  };
  // The backward direction of layer 0, and layer 1 reading 2H instead of H.
  BOOST_TEST(count("none", true, 2) == count("none", false, 2) + 4 * H * (E + H + 1) + 4 * H * H);
  BOOST_TEST(count("dot", true, 2) == count("dot", false, 2) + 4 * H * (E + H + 1) + 4 * H * H);
  // One layer: the outputs are 2H, so W_a [H, 2H] and W_c [H, 2H + H] grow by H * H each.
  BOOST_TEST(count("general", true, 1) == count("general", false, 1) + 4 * H * (E + H + 1) + 2 * H * H);
}

BOOST_AUTO_TEST_CASE(attention_round_trips_through_the_config_and_defaults_to_none) {
  for (const std::string name : {"none", "dot", "general"}) {
    const auto config = tiny_config(false, name);
    const auto read = nmt::ModelConfig::from_json(config.to_json(), "model");
    BOOST_TEST(nmt::attention_name(read.attention) == name);
  }
  // A config written before attention existed has no key: no attention.
  auto json = nlohmann::json::parse(tiny_config(false, "dot").to_json());
  json.erase("attention");
  BOOST_TEST(!nmt::ModelConfig::from_json(json.dump(), "old.nmt").attention.has_value());
  json["attention"] = "bahdanau";
  BOOST_CHECK_EXCEPTION(nmt::ModelConfig::from_json(json.dump(), "bad.nmt"), nmt::Error, [](const nmt::Error& e) {
    return std::string(e.what()).find("bad.nmt: bad model configuration: unknown attention 'bahdanau'") == 0;
  });
  BOOST_CHECK_THROW(nmt::parse_attention("Dot"), nmt::Error);
}

BOOST_AUTO_TEST_CASE(attention_adds_its_weights_and_nothing_else) {
  nmt::DnnContext dnn;
  const nmt::Seq2SeqModel plain(dnn, tiny_config(false));
  const nmt::Seq2SeqModel dot(dnn, tiny_config(false, "dot"));
  const nmt::Seq2SeqModel general(dnn, tiny_config(false, "general"));
  const std::size_t H = 6;
  // W_c [H, H + H]; general adds W_a [H, H].
  BOOST_TEST(dot.parameter_count() == plain.parameter_count() + H * 2 * H);
  BOOST_TEST(general.parameter_count() == dot.parameter_count() + H * H);
}

BOOST_AUTO_TEST_CASE(weights_round_trip_bit_exact_through_a_model_file) {
  for (const bool bidirectional : {false, true}) {
    nmt::DnnContext dnn;
    const auto config = tiny_config(false, "dot", bidirectional);
    nmt::Seq2SeqModel model(dnn, config);
    model.initialize(11);
    nmt::ModelFileWriter writer;
    writer.add("config", config.to_json());
    model.save_weights(writer);
    const auto file = nmt::ModelFileReader::parse(writer.serialize(), "model");
    nmt::Seq2SeqModel loaded(dnn, nmt::ModelConfig::from_json(file.section("config"), "model"));
    loaded.load_weights(file);
    BOOST_TEST(loaded.config().bidirectional_encoder == bidirectional);
    BOOST_TEST_REQUIRE(loaded.parameters().size() == model.parameters().size());
    for (std::size_t k = 0; k < model.parameters().size(); ++k) {
      const auto& a = model.parameters()[k];
      const auto& b = loaded.parameters()[k];
      BOOST_TEST(a.name == b.name);
      BOOST_TEST_REQUIRE(a.size == b.size);
      BOOST_TEST(std::memcmp(a.value, b.value, a.size * sizeof(float)) == 0);
    }
    const auto batch = nmt::make_batch(random_pairs(2, 3, 12, 10, 1), {0, 1}, true);
    BOOST_TEST(model.evaluate_batch(batch).loss == loaded.evaluate_batch(batch).loss);
  }
  // A bidirectional model's weights do not fit a unidirectional one.
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel bidirectional(dnn, tiny_config(false, "none", true));
  nmt::ModelFileWriter writer;
  bidirectional.save_weights(writer);
  nmt::Seq2SeqModel unidirectional(dnn, tiny_config(false));
  BOOST_CHECK_THROW(unidirectional.load_weights(nmt::ModelFileReader::parse(writer.serialize(), "model")),
                    nmt::Error);
}

namespace {

void check_overfits_twenty_pairs(const std::string& attention, bool bf16 = false) {
  const auto started = std::chrono::steady_clock::now();
  nmt::DnnContext dnn;
  dnn.use_bf16(bf16);  // training and search alike
  nmt::ModelConfig config = tiny_config(false, attention);
  config.source_vocab_size = 20;
  config.target_vocab_size = 20;
  config.embedding_size = 32;
  config.hidden_size = 64;
  config.dropout = 0.0f;
  nmt::Seq2SeqModel model(dnn, config);
  model.initialize(1);
  // 20 pairs over a few source lengths; targets are arbitrary id sequences.
  std::vector<nmt::SentencePair> pairs;
  for (int length = 2; length <= 5; ++length) {
    auto group = random_pairs(5, length, 20, 20, 100 + length);
    pairs.insert(pairs.end(), group.begin(), group.end());
  }
  nmt::Optimizer adam({}, model.parameters());
  const nmt::BatchLimits batching{5, 0};
  for (int epoch = 0; epoch < 300; ++epoch) {
    for (const auto& indices : nmt::plan_training_batches(pairs, batching, 9, epoch)) {
      const auto batch = nmt::make_batch(pairs, indices, true);
      model.zero_grad();
      model.train_batch(batch, 0.0f, 1.0f / batch.target_tokens, epoch);
      nmt::clip_gradient_norm(model.parameters(), 5.0);
      adam.step(0.01);
      model.weights_changed();
    }
  }
  nmt::GreedySearch greedy;
  int errors = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto batch = nmt::make_batch(pairs, {i}, true);
    model.encoder().forward(batch.source.data(), batch.source_length, 1, false);
    const auto start = config.attention ? model.decoder().start(model.encoder().context(), model.encoder().outputs(),
                                                                {batch.source_length})
                                        : model.decoder().start(model.encoder().context());
    const auto result = greedy.search(model.decoder(), start, {20}, {});
    errors += result[0][0].tokens != pairs[i].target;
  }
  BOOST_TEST(errors == 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  BOOST_TEST_MESSAGE("overfit with attention " << attention << (bf16 ? " in bf16" : "") << " in " << seconds << " s");
}

struct NativeBf16 {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result result(nmt::DnnContext::has_native_bf16());
    result.message() << "oneDNN found " << nmt::DnnContext::cpu_isa_name() << ", without native bf16";
    return result;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(tiny_model_overfits_twenty_pairs_to_zero_errors) { check_overfits_twenty_pairs("none"); }

BOOST_AUTO_TEST_CASE(tiny_model_with_attention_overfits_twenty_pairs_to_zero_errors) {
  check_overfits_twenty_pairs("general");
}

// bf16 training (f32 master weights and Adam) learns the same pairs by heart.
BOOST_AUTO_TEST_CASE(tiny_model_trained_in_bf16_overfits_twenty_pairs_to_zero_errors,
                     *boost::unit_test::precondition(NativeBf16())) {
  check_overfits_twenty_pairs("general", true);
}

BOOST_AUTO_TEST_CASE(the_logits_of_output_rows_are_those_rows_of_the_whole_forward) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, tiny_config(false, "dot"));
  model.initialize(4);
  const auto pairs = random_pairs(6, 3, 12, 10, 11);
  const auto batch = nmt::make_batch(pairs, {0, 1, 2, 3, 4, 5}, true);
  const auto all_rows = static_cast<std::size_t>(batch.target_length * batch.batch_size);
  BOOST_TEST_REQUIRE(batch.output_rows.size() < all_rows);  // the batch has padding to skip
  BOOST_TEST(batch.output_rows.size() == static_cast<std::size_t>(batch.target_tokens));
  for (std::size_t r = 0, i = 0; r < all_rows; ++r) {
    const bool listed = i < batch.output_rows.size() && batch.output_rows[i] == static_cast<int>(r);
    if (listed) BOOST_TEST(batch.output_ids[i++] == batch.target_output[r]);
    else BOOST_TEST(batch.target_output[r] == nmt::kPadId, "row " << r);
  }
  auto& encoder = model.encoder();
  auto& decoder = model.decoder();
  encoder.forward(batch.source.data(), batch.source_length, batch.batch_size, false);
  decoder.attend_to(encoder.outputs(), std::vector<int>(static_cast<std::size_t>(batch.batch_size), batch.source_length));
  const nmt::Tensor whole = decoder.forward(batch.target_input.data(), batch.target_length, batch.batch_size,
                                            encoder.context(), false);
  const nmt::Tensor& some = decoder.forward(batch.target_input.data(), batch.target_length, batch.batch_size,
                                            encoder.context(), false, &batch.output_rows);
  const int vocab = decoder.vocab_size();
  BOOST_TEST_REQUIRE(some.size() == static_cast<std::int64_t>(batch.output_rows.size()) * vocab);
  for (std::size_t i = 0; i < batch.output_rows.size(); ++i)
    for (int v = 0; v < vocab; ++v)
      BOOST_TEST(some[static_cast<std::int64_t>(i) * vocab + v] ==
                     whole[static_cast<std::int64_t>(batch.output_rows[i]) * vocab + v],
                 boost::test_tools::tolerance(1e-5f));
}
