#pragma once
// The architecture of a translation model: everything needed to rebuild it
// from a model file, stored there as JSON.

#include <cstdint>
#include <optional>
#include <string>

#include "nmt/core/enum_names.h"
#include "nmt/layers/attention.h"

namespace nmt {

// What the LSTM stacks are trained for: translation (an encoder whose
// context seeds the decoder), a language model (the decoder alone, starting
// from zeros: it predicts a text one token at a time), or a sentence
// classifier (the encoder alone, a linear layer and softmax over labels on
// its pooled states).
enum class ModelTask { translation, lm, classify };

inline const EnumNames<ModelTask>& model_task_names() {
  static const EnumNames<ModelTask> names{
      {ModelTask::translation, "translation"}, {ModelTask::lm, "lm"}, {ModelTask::classify, "classify"}};
  return names;
}

// What a classifier reads of the encoder: its top layer's final state, or
// the mean or the maximum (per feature) of its top layer's states over the
// sentence.
enum class Pooling { final, mean, max };

inline const EnumNames<Pooling>& pooling_names() {
  static const EnumNames<Pooling> names{{Pooling::final, "final"}, {Pooling::mean, "mean"}, {Pooling::max, "max"}};
  return names;
}

// The defaults are nmt train's recipe, chosen on the Bible corpus's validation
// books at the quickstart's budgets (README, "Choosing the default recipe"): a
// small model with dot attention learns most per minute of CPU.
struct ModelConfig {
  // A config without the key (files made before language models) reads as
  // translation.
  ModelTask task = ModelTask::translation;
  int source_vocab_size = 0;  // from the SentencePiece models (a language model's: its one vocabulary)
  // A classifier's: its labels (>= 2) and pooling; target_vocab_size is then
  // the source's (one SentencePiece model, stored for both sides).
  int labels = 0;
  Pooling pooling = Pooling::final;
  int target_vocab_size = 0;
  int embedding_size = 256;
  int hidden_size = 256;
  int layers = 1;
  float dropout = 0.1f;          // between LSTM layers and before the output projection
  bool tied_embeddings = false;  // target embedding doubles as output projection (needs E == H)
  bool reverse_source = true;    // read the source backwards (Sutskever et al., 2014)
  // Luong attention over the encoder's top-layer outputs; none (nullopt): the
  // context alone carries the source. A config without the key (files made
  // before attention existed) reads as none.
  std::optional<layers::AttentionType> attention = layers::AttentionType::dot;
  // The encoder's bottom layer reads the source both ways (see encoder.h). A
  // config without the key (files made before it existed) reads as false.
  bool bidirectional_encoder = false;

  // What attention reads per source position: the encoder's top-layer state,
  // 2H wide when that layer is the bidirectional one (one layer).
  bool has_encoder() const { return task != ModelTask::lm; }
  bool has_decoder() const { return task != ModelTask::classify; }
  // A classifier's input width: the final state is H wide (a bidirectional
  // bottom layer's two directions summed), the states encoder_output_size().
  int pooled_size() const { return pooling == Pooling::final ? hidden_size : encoder_output_size(); }

  int encoder_output_size() const { return bidirectional_encoder && layers == 1 ? 2 * hidden_size : hidden_size; }

  // Limits of validate(): generous for any LSTM model, and a bound on what a
  // model file from elsewhere can make the loader allocate.
  static constexpr int kMaxVocabSize = 1 << 20;
  static constexpr int kMaxWidth = 16384;
  static constexpr int kMaxLayers = 32;

  // The number of weights the model has (Seq2SeqModel::parameter_count()),
  // computed without building it: a model file from elsewhere is checked
  // against the weights it holds before anything is allocated.
  std::int64_t parameter_count() const;

  // Throws nmt::Error when the sizes make no model.
  void validate() const;
  // validate() but for the vocabulary sizes: what the architecture options
  // alone decide, checkable before any data is read.
  void validate_architecture() const;
  std::string to_json() const;
  // name: for messages. Throws nmt::Error on a malformed or incomplete config.
  static ModelConfig from_json(const std::string& json, const std::string& name);
};

// "none", "dot", "general" <-> the attention field; parsing throws nmt::Error otherwise.
std::optional<layers::AttentionType> parse_attention(const std::string& name);
const char* attention_name(const std::optional<layers::AttentionType>& attention);

}  // namespace nmt
