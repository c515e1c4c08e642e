#pragma once
// The architecture of a translation model: everything needed to rebuild it
// from a model file, stored there as JSON.

#include <cstdint>
#include <string>

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

  // Throws nmt::Error when the sizes make no model.
  void validate() const;
  std::string to_json() const;
  // name: for messages. Throws nmt::Error on a malformed or incomplete config.
  static ModelConfig from_json(const std::string& json, const std::string& name);
};

}  // namespace nmt
