#pragma once
// The encoder: source embedding, then an L-layer LSTM. What it hands over is
// the context: the final (h, c) of every layer, which seeds the decoder.
// Every sentence of a batch has the same source length (see training/batching.h),
// so the final state is each sentence's own last token.
//
// Bidirectional (GNMT's layout, Wu et al., 2016): the bottom layer reads the
// source both ways and hands 2H features to the layers above it, which stay
// unidirectional, so the top outputs stay H wide (dot attention still fits)
// and the upper layers cost what they did. With one layer the bidirectional
// layer is the top one: outputs() are then 2H wide.

#include <cstdint>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/parameter.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/embedding.h"
#include "nmt/layers/lstm_stack.h"

namespace nmt {

class Encoder {
 public:
  Encoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
          float dropout, bool bidirectional = false);

  bool bidirectional() const;
  void initialize(uint64_t seed);
  void reseed_dropout(uint64_t seed) { lstm_.reseed_dropout(seed); }
  std::vector<Parameter> parameters();
  void weights_changed() { lstm_.weights_changed(); }
  // Inference forwards in int8 from now on (layers/int8.h): the bottom
  // layer's input is the embedding, bounded by its largest weight.
  void quantize_for_inference();

  // source: [T][N] token ids, time-major. Valid until the next forward.
  void forward(const int* source, int steps, int batch, bool training);
  // One (h, c) per layer, each [N, H].
  Context context() const;
  // The top layer's states [T, N, output_size()], which attention reads.
  const Tensor& outputs() const { return lstm_.output(); }
  int64_t output_size() const { return lstm_.output_size(); }
  const layers::LstmStack& lstm() const { return lstm_; }

  // grad_context: gradients reaching the context, one (h, c) per layer;
  // grad_outputs: those reaching outputs() (attention), or null for none.
  // Adds into the parameter gradients.
  void backward(const Context& grad_context, const Tensor* grad_outputs = nullptr);

 private:
  layers::Embedding embedding_;
  layers::LstmStack lstm_;
  std::vector<int> source_;  // the last forward's ids, for the embedding's backward
  Tensor embedded_;          // [T, N, E]
  Tensor zero_grad_output_;  // without attention the outputs feed nothing but the context
  // Bidirectional: the bottom layer's context (the two directions summed) and
  // the gradient reaching each direction's final state.
  Tensor bottom_h_, bottom_c_;
  Tensor grad_bottom_h_, grad_bottom_c_;
};

}  // namespace nmt
