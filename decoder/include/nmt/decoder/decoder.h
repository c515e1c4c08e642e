#pragma once
// The decoder: target embedding, an L-layer LSTM seeded with the encoder's
// context, optionally Luong attention over the encoder's outputs (read after
// the LSTM, so the stack still runs over all target steps at once), dropout,
// and the output projection to the target vocabulary. Two ways to run it: over a whole target sentence with teacher forcing
// (training, scoring), or one step at a time (search).

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/parameter.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/attention.h"
#include "nmt/layers/dropout.h"
#include "nmt/layers/embedding.h"
#include "nmt/layers/linear.h"
#include "nmt/layers/lstm_stack.h"

namespace nmt {

class Decoder {
 public:
  // tied_embeddings: the embedding table doubles as the output projection
  // (needs embedding_size == hidden_size).
  // attention: none (the context alone carries the source), or the Luong
  // score over encoder outputs of encoder_size features.
  Decoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
          float dropout, bool tied_embeddings, std::optional<layers::AttentionType> attention = std::nullopt,
          int encoder_size = 0);

  void initialize(uint64_t seed);
  void reseed_dropout(uint64_t seed);
  std::vector<Parameter> parameters();
  void weights_changed() { lstm_.weights_changed(); }
  int vocab_size() const { return embedding_.vocab(); }
  bool has_attention() const { return attention_ != nullptr; }

  // With attention, before forward() or start(): the encoder outputs [S, N, E]
  // of the batch and each sentence's source length (positions >= its length
  // are padding, never attended to). The tensor is read in place, not copied:
  // it must stay unchanged until backward(), or until the search is over.
  void attend_to(const Tensor& encoder_outputs, const std::vector<int>& source_lengths);
  // After backward(): the gradient reaching the encoder outputs, [S, N, E].
  const Tensor& grad_encoder_outputs() const { return attention_->grad_encoder_outputs(); }
  // The attention weights [N, T, S] of the last forward() or step().
  const Tensor& attention_weights() const { return attention_->attention_weights(); }

  // Teacher forcing. target_input: [T][N] ids (<s> y1 .. yn); context: the
  // encoder's, valid until backward. Returns logits [T * N, V], row t * N + n.
  Tensor& forward(const int* target_input, int steps, int batch, const Context& context,
                  bool training);
  // grad_logits: [T * N, V] (may be the tensor forward returned). Adds into the
  // parameter gradients; grad_context() then holds the context's gradient.
  void backward(const Tensor& grad_logits);
  Context grad_context() const;

  // Search: start from a context, then feed one token per sentence per step.
  void start(const Context& context);
  // Beam search: each sentence's context (and, with attention, its encoder
  // outputs and length) repeated `copies` times, so that rows
  // n * copies .. n * copies + copies - 1 of every later step belong to
  // sentence n. Steps then run on batch * copies rows. A sentence's encoder
  // outputs are the same for all its beams, so reorder_state leaves them be.
  void start(const Context& context, int copies);
  // previous: [N] ids. Returns logits [N, V] for the next token.
  Tensor& step(const int* previous, int batch);
  // The state after the last step.
  Context state() const;
  // Before the next step: its row r starts from row origins[r] of the state
  // after the last step (a surviving beam carries on from its parent). One
  // copy per layer; the row count, and so the primitives, stay the same.
  void reorder_state(const std::vector<int>& origins);

 private:
  // Hands attention attend_to's outputs, each sentence's repeated `copies` times.
  void attend_to_copies(int copies);

  layers::Embedding embedding_;
  layers::LstmStack lstm_;
  layers::Dropout output_dropout_;
  layers::Linear projection_;

  std::vector<int> target_input_;
  std::unique_ptr<layers::LuongAttention> attention_;
  const Tensor* source_ = nullptr;  // attend_to's encoder outputs [S, N, E]
  std::vector<int> source_lengths_;
  Tensor repeated_source_;  // the encoder outputs repeated per beam (start with copies)
  std::vector<int> repeated_lengths_;
  bool source_repeated_ = false;  // attention reads repeated_source_, not source_

  Context context_;   // the initial state of the last teacher-forced forward
  Tensor embedded_;   // [T, N, E]
  Tensor dropped_;    // [T, N, H]: LSTM (or attention) output after dropout
  Tensor logits_;     // [T * N, V]
  Tensor grad_dropped_, grad_output_;
  // Search state of the next step: the LSTM's own final state, or context_
  // (the start, or rows gathered into beam_h_/beam_c_ by reorder_state).
  bool from_lstm_state_ = false;
  std::vector<Tensor> beam_h_, beam_c_;  // per layer, [N, H]
};

}  // namespace nmt
