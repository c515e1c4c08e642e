// Model files from elsewhere: the configuration is checked against the
// weights the file holds before anything is allocated, sizes are read without
// narrowing, and non-finite weights are refused.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "nmt/core/error.h"
#include "nmt/core/model_file.h"
#include "nmt/model/seq2seq_model.h"
#include "nmt/model/translation_model.h"

namespace {

nmt::ModelConfig config_of(const std::string& attention, bool bidirectional, int layers, bool tied) {
  nmt::ModelConfig config;
  config.source_vocab_size = 11;
  config.target_vocab_size = 9;
  config.embedding_size = tied ? 6 : 4;
  config.hidden_size = 6;
  config.layers = layers;
  config.tied_embeddings = tied;
  config.bidirectional_encoder = bidirectional;
  config.attention = nmt::parse_attention(attention);
  return config;
}

// The sections of a model file for config, its weights from a built model.
nmt::ModelFileWriter model_file(const nmt::ModelConfig& weights_of, const std::string& config_json) {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, weights_of);
  model.initialize(3);
  nmt::ModelFileWriter file;
  file.add("config", config_json);
  file.add("spm/source", "not read before the check");
  file.add("spm/target", "not read before the check");
  model.save_weights(file);
  return file;
}

std::string load_error(const nmt::ModelFileWriter& file) {
  nmt::DnnContext dnn;
  try {
    nmt::TranslationModel::read(dnn, nmt::ModelFileReader::parse(file.serialize(), "crafted.nmt"));
  } catch (const nmt::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_parameter_count_of_a_config_is_that_of_its_model) {
  nmt::DnnContext dnn;
  for (const char* attention : {"none", "dot", "general"})
    for (const bool bidirectional : {false, true})
      for (const int layers : {1, 2, 3})
        for (const bool tied : {false, true}) {
          const auto config = config_of(attention, bidirectional, layers, tied);
          try {
            config.validate();
          } catch (const nmt::Error&) {
            continue;  // dot over a one-layer bidirectional encoder: no such model
          }
          nmt::Seq2SeqModel model(dnn, config);
          BOOST_TEST(config.parameter_count() == static_cast<std::int64_t>(model.parameter_count()),
                     attention << " bidirectional " << bidirectional << " layers " << layers << " tied " << tied);
        }
}

BOOST_AUTO_TEST_CASE(a_config_that_claims_more_than_the_file_holds_is_refused_before_building) {
  const auto real = config_of("dot", false, 2, false);
  auto claimed = real;
  claimed.layers = 30;  // within the limits, but not what the file holds
  const auto message = load_error(model_file(real, claimed.to_json()));
  BOOST_TEST(message.find("crafted.nmt") == 0u);
  BOOST_TEST(message.find("declares " + std::to_string(claimed.parameter_count()) + " weights but the file holds " +
                          std::to_string(real.parameter_count())) != std::string::npos,
             message);
  claimed = real;
  claimed.layers = 100000;
  BOOST_TEST(load_error(model_file(real, claimed.to_json())).find("at most 32 layers") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sizes_beyond_int_are_refused_not_wrapped) {
  const auto real = config_of("dot", false, 1, false);
  auto json = nlohmann::json::parse(real.to_json());
  json["hidden_size"] = 4294967302LL;  // 2^32 + 6: get<int>() would make it 6
  const auto message = load_error(model_file(real, json.dump()));
  BOOST_TEST(message.find("hidden_size 4294967302 is out of range") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(non_finite_weights_are_refused) {
  const auto config = config_of("dot", false, 1, false);
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, config);
  model.initialize(1);
  for (const float bad : {std::nanf(""), std::numeric_limits<float>::infinity()}) {
    model.parameters()[2].value[1] = bad;
    nmt::ModelFileWriter file;
    model.save_weights(file);
    nmt::Seq2SeqModel loaded(dnn, config);
    const auto reader = nmt::ModelFileReader::parse(file.serialize(), "bad.nmt");
    try {
      loaded.load_weights(reader);
      BOOST_FAIL("non-finite weights loaded");
    } catch (const nmt::Error& e) {
      BOOST_TEST(std::string(e.what()).find("NaN or infinite weights") != std::string::npos, e.what());
    }
  }
}
