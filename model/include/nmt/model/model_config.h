#pragma once
// The architecture of a translation model: everything needed to rebuild it
// from a model file, stored there as JSON.

#include <cstdint>
#include <optional>
#include <string>

#include "nmt/layers/attention.h"

namespace nmt {

struct ModelConfig {
  int source_vocab_size = 0;  // from the SentencePiece models
  int target_vocab_size = 0;
  int embedding_size = 256;
  int hidden_size = 512;
  int layers = 2;
  float dropout = 0.2f;          // between LSTM layers and before the output projection
  bool tied_embeddings = false;  // target embedding doubles as output projection (needs E == H)
  bool reverse_source = true;    // read the source backwards (Sutskever et al., 2014)
  // Luong attention over the encoder's top-layer outputs; none: the context
  // alone carries the source. A config without the key (files made before
  // attention existed) reads as none.
  std::optional<layers::AttentionType> attention;

  // What attention reads per source position: the encoder's top-layer state.
  int encoder_output_size() const { return hidden_size; }

  // Throws nmt::Error when the sizes make no model.
  void validate() const;
  std::string to_json() const;
  // name: for messages. Throws nmt::Error on a malformed or incomplete config.
  static ModelConfig from_json(const std::string& json, const std::string& name);
};

// "none", "dot", "general" <-> the attention field; parsing throws nmt::Error otherwise.
std::optional<layers::AttentionType> parse_attention(const std::string& name);
const char* attention_name(const std::optional<layers::AttentionType>& attention);

}  // namespace nmt
