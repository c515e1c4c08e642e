#include "nmt/model/model_config.h"

#include <nlohmann/json.hpp>
#include <string>

#include "nmt/core/error.h"

namespace nmt {

namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw Error("model configuration: " + message);
}

}  // namespace

void ModelConfig::validate() const {
  require(source_vocab_size > 4 && target_vocab_size > 4, "vocabularies must have more than 4 pieces");
  validate_architecture();
}

void ModelConfig::validate_architecture() const {
  require(embedding_size > 0 && hidden_size > 0 && layers > 0, "sizes and layers must be positive");
  require(dropout >= 0.0f && dropout < 1.0f, "dropout must be in [0, 1)");
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
  return json.dump(2);
}

ModelConfig ModelConfig::from_json(const std::string& text, const std::string& name) {
  try {
    const auto json = nlohmann::json::parse(text);
    ModelConfig config;
    config.source_vocab_size = json.at("source_vocab_size").get<int>();
    config.target_vocab_size = json.at("target_vocab_size").get<int>();
    config.embedding_size = json.at("embedding_size").get<int>();
    config.hidden_size = json.at("hidden_size").get<int>();
    config.layers = json.at("layers").get<int>();
    config.dropout = json.at("dropout").get<float>();
    config.tied_embeddings = json.at("tied_embeddings").get<bool>();
    config.reverse_source = json.at("reverse_source").get<bool>();
    try {
      config.attention = parse_attention(json.value("attention", std::string("none")));
    } catch (const Error& e) {
      throw Error(name, std::string("bad model configuration: ") + e.what());
    }
    config.bidirectional_encoder = json.value("bidirectional_encoder", false);
    config.validate();
    return config;
  } catch (const nlohmann::json::exception& e) {
    throw Error(name, std::string("bad model configuration: ") + e.what());
  }
}

}  // namespace nmt
