#include "nmt/model/model_config.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "nmt/core/error.h"

namespace nmt {

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw Error("model configuration: " + message);
}

}  // namespace

std::int64_t ModelConfig::parameter_count() const {
  const std::int64_t E = embedding_size, H = hidden_size;
  // An LSTM layer of input width C: weights_layer [D, C, 4, H], weights_iter [D, H, 4, H], bias [D, 4, H].
  const auto lstm = [&](std::int64_t C, std::int64_t directions) { return directions * 4 * H * (C + H + 1); };
  const std::int64_t bottom_directions = bidirectional_encoder ? 2 : 1;
  std::int64_t count = 0;
  if (has_encoder()) {
    count += std::int64_t{source_vocab_size} * E + lstm(E, bottom_directions);
    for (int l = 1; l < layers; ++l) count += lstm(l == 1 ? bottom_directions * H : H, 1);
  }
  if (!has_decoder()) return count + std::int64_t{pooled_size()} * labels + labels;  // the classifier layer
  count += std::int64_t{target_vocab_size} * E + lstm(E, 1);
  for (int l = 1; l < layers; ++l) count += lstm(H, 1);
  if (!tied_embeddings) count += std::int64_t{target_vocab_size} * H;
  count += target_vocab_size;  // output bias
  if (attention) {
    const std::int64_t S = encoder_output_size();
    if (*attention == layers::AttentionType::general) count += H * S;  // W_a
    count += H * (S + H);                                             // W_c
  }
  return count;
}

void ModelConfig::validate() const {
  require(source_vocab_size > 4 && target_vocab_size > 4, "vocabularies must have more than 4 pieces");
  require(source_vocab_size <= kMaxVocabSize && target_vocab_size <= kMaxVocabSize,
          "vocabularies must have at most " + std::to_string(kMaxVocabSize) + " pieces");
  require(task != ModelTask::classify || (labels >= 2 && labels <= kMaxVocabSize),
          "a classifier needs at least 2 labels, got " + std::to_string(labels));
  require(task == ModelTask::classify || labels == 0, "only a classifier has labels");
  validate_architecture();
}

void ModelConfig::validate_architecture() const {
  require(embedding_size > 0 && hidden_size > 0 && layers > 0, "sizes and layers must be positive");
  // Far beyond any LSTM translation model, and small enough that a crafted
  // file cannot make the loader allocate without bound.
  require(embedding_size <= kMaxWidth && hidden_size <= kMaxWidth,
          "embedding and hidden sizes must be at most " + std::to_string(kMaxWidth));
  require(layers <= kMaxLayers, "at most " + std::to_string(kMaxLayers) + " layers");
  require(dropout >= 0.0f && dropout < 1.0f, "dropout must be in [0, 1)");
  require(task != ModelTask::lm || (!attention && !bidirectional_encoder),
          "a language model has no source: no --attention, no --bidirectional-encoder");
  require(task != ModelTask::classify || !attention, "a classifier has no decoder to attend with: no --attention");
  require(task != ModelTask::classify || !tied_embeddings, "a classifier has no output embedding to tie");
  require(!tied_embeddings || embedding_size == hidden_size,
          "tied embeddings need --embedding-size equal to --hidden-size");
  // Dot attention (h_t . s_j) needs s_j as wide as h_t; general's W_a maps any width.
  require(attention != layers::AttentionType::dot || encoder_output_size() == hidden_size,
          "dot attention needs the encoder's outputs as wide as the decoder's states, but a "
          "bidirectional encoder with one layer outputs 2 x hidden size (" +
              std::to_string(encoder_output_size()) + "); use --attention general or more --layers");
}

std::optional<layers::AttentionType> parse_attention(const std::string& name) {
  if (name == "none") return std::nullopt;
  if (name == "dot") return layers::AttentionType::dot;
  if (name == "general") return layers::AttentionType::general;
  throw Error("unknown attention '" + name + "' (none, dot or general)");
}

const char* attention_name(const std::optional<layers::AttentionType>& attention) {
  if (!attention) return "none";
  return *attention == layers::AttentionType::dot ? "dot" : "general";
}

std::string ModelConfig::to_json() const {
  nlohmann::json json = {{"source_vocab_size", source_vocab_size},
                         {"target_vocab_size", target_vocab_size},
                         {"embedding_size", embedding_size},
                         {"hidden_size", hidden_size},
                         {"layers", layers},
                         {"dropout", dropout},
                         {"tied_embeddings", tied_embeddings},
                         {"reverse_source", reverse_source},
                         {"attention", attention_name(attention)}};
  // Written only when on: a model without it keeps the config it had before
  // the option existed, so earlier builds of nmt still read it.
  if (bidirectional_encoder) json["bidirectional_encoder"] = true;
  if (task != ModelTask::translation) json["task"] = enum_name(model_task_names(), task);
  if (task == ModelTask::classify) {
    json["labels"] = labels;
    json["pooling"] = enum_name(pooling_names(), pooling);
  }
  return json.dump(2);
}

ModelConfig ModelConfig::from_json(const std::string& text, const std::string& name) {
  try {
    const auto json = nlohmann::json::parse(text);
    ModelConfig config;
    // Read wide, then checked: get<int>() would wrap 2^32 + 256 to 256.
    const auto size = [&](const char* key) {
      const auto value = json.at(key).get<std::int64_t>();
      if (value < 0 || value > std::numeric_limits<int>::max())
        throw Error(name, std::string("bad model configuration: ") + key + " " + std::to_string(value) +
                              " is out of range");
      return static_cast<int>(value);
    };
    config.source_vocab_size = size("source_vocab_size");
    config.target_vocab_size = size("target_vocab_size");
    config.embedding_size = size("embedding_size");
    config.hidden_size = size("hidden_size");
    config.layers = size("layers");
    config.dropout = json.at("dropout").get<float>();
    config.tied_embeddings = json.at("tied_embeddings").get<bool>();
    config.reverse_source = json.at("reverse_source").get<bool>();
    try {
      config.attention = parse_attention(json.value("attention", std::string("none")));
    } catch (const Error& e) {
      throw Error(name, std::string("bad model configuration: ") + e.what());
    }
    config.bidirectional_encoder = json.value("bidirectional_encoder", false);
    try {
      config.task = parse_enum(model_task_names(), json.value("task", std::string("translation")), "model task");
      if (json.contains("labels")) config.labels = size("labels");
      config.pooling = parse_enum(pooling_names(), json.value("pooling", std::string("final")), "pooling");
      config.validate();
    } catch (const Error& e) {
      throw Error(name, e.what());
    }
    return config;
  } catch (const nlohmann::json::exception& e) {
    throw Error(name, std::string("bad model configuration: ") + e.what());
  }
}

}  // namespace nmt
