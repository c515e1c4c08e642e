#pragma once
// The decoder: target embedding, an L-layer LSTM seeded with the encoder's
// context, dropout, and the output projection to the target vocabulary.
// Two ways to run it: over a whole target sentence with teacher forcing
// (training, scoring), or one step at a time (search).

#include <cstdint>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/parameter.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/dropout.h"
#include "nmt/layers/embedding.h"
#include "nmt/layers/linear.h"
#include "nmt/layers/lstm_stack.h"

namespace nmt {

class Decoder {
 public:
  // tied_embeddings: the embedding table doubles as the output projection
  // (needs embedding_size == hidden_size).
  Decoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
          float dropout, bool tied_embeddings);

  void initialize(uint64_t seed);
  void reseed_dropout(uint64_t seed);
  std::vector<Parameter> parameters();
  void weights_changed() { lstm_.weights_changed(); }
  int vocab_size() const { return embedding_.vocab(); }

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
  // Beam search: each sentence's context repeated `copies` times, so that rows
  // n * copies .. n * copies + copies - 1 of every later step belong to
  // sentence n. Steps then run on batch * copies rows.
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
  layers::Embedding embedding_;
  layers::LstmStack lstm_;
  layers::Dropout output_dropout_;
  layers::Linear projection_;

  std::vector<int> target_input_;
  Context context_;   // the initial state of the last teacher-forced forward
  Tensor embedded_;   // [T, N, E]
  Tensor dropped_;    // [T, N, H]: LSTM output after dropout
  Tensor logits_;     // [T * N, V]
  Tensor grad_dropped_, grad_output_;
  // Search state of the next step: the LSTM's own final state, or context_
  // (the start, or rows gathered into beam_h_/beam_c_ by reorder_state).
  bool from_lstm_state_ = false;
  std::vector<Tensor> beam_h_, beam_c_;  // per layer, [N, H]
};

}  // namespace nmt
