#include "nmt/model/model_config.h"

#include <nlohmann/json.hpp>

#include "nmt/core/error.h"

namespace nmt {

void ModelConfig::validate() const {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw Error("model configuration: " + message);
  };
  require(source_vocab_size > 4 && target_vocab_size > 4, "vocabularies must have more than 4 pieces");
  require(embedding_size > 0 && hidden_size > 0 && layers > 0, "sizes and layers must be positive");
  require(dropout >= 0.0f && dropout < 1.0f, "dropout must be in [0, 1)");
  require(!tied_embeddings || embedding_size == hidden_size,
          "tied embeddings need --embedding-size equal to --hidden-size");
}

std::string ModelConfig::to_json() const {
  const nlohmann::json json = {{"source_vocab_size", source_vocab_size},
                               {"target_vocab_size", target_vocab_size},
                               {"embedding_size", embedding_size},
                               {"hidden_size", hidden_size},
                               {"layers", layers},
                               {"dropout", dropout},
                               {"tied_embeddings", tied_embeddings},
                               {"reverse_source", reverse_source}};
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
    config.validate();
    return config;
  } catch (const nlohmann::json::exception& e) {
    throw Error(name, std::string("bad model configuration: ") + e.what());
  }
}

}  // namespace nmt
