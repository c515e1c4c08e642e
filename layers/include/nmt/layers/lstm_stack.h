#pragma once
// L LstmLayers on top of each other with inverted dropout between them (not
// on the stack's input or output: that is the model's choice). Initial and
// final states are per layer, which is what an encoder hands to a decoder:
// the encoder's final_state(l) seeds the decoder's layer l, and the
// decoder's grad_initial_state(l) flows back as the encoder's grad_final.
// The bottom layer may be bidirectional (an encoder's choice); the layer above
// it then reads 2H features, and its states carry a direction axis (see
// lstm_layer.h).

#include <cstdint>
#include <string>
#include <vector>

#include "nmt/core/parameter.h"

#include "nmt/core/dnn_context.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/dropout.h"
#include "nmt/layers/lstm_layer.h"
#include "nmt/layers/lstm_state.h"

namespace nmt::layers {

class LstmStack {
 public:
  // Layer 0 reads input_size features, the others the output of the layer
  // below. `seed` seeds the dropout masks.
  LstmStack(DnnContext& context, int64_t input_size, int64_t hidden_size, int num_layers,
            float dropout, uint64_t seed,
            LstmDirection bottom_direction = LstmDirection::unidirectional);

  int num_layers() const { return static_cast<int>(layers_.size()); }
  int64_t input_size() const { return layers_.front().input_size(); }
  int64_t hidden_size() const { return layers_.front().hidden_size(); }
  LstmLayer& layer(int l) { return layers_.at(static_cast<std::size_t>(l)); }
  const LstmLayer& layer(int l) const { return layers_.at(static_cast<std::size_t>(l)); }
  // The dropout between layer l and layer l + 1.
  const Dropout& dropout(int l) const { return dropouts_.at(static_cast<std::size_t>(l)); }

  // Each layer LstmLayer::initialize(seed + l).
  void initialize(uint64_t seed);
  void weights_changed();
  void zero_grad();
  // Inference in int8 from now on (LstmLayer::quantize_for_inference): the
  // bottom layer's inputs within input_bound, the others' are states below
  // (|h| < 1; no dropout at inference).
  void quantize_for_inference(float input_bound);
  // Views of every layer's weights and gradients, named prefix + "lstm<l>/...".
  std::vector<Parameter> parameters(const std::string& prefix);
  // Reseeds the dropout between layer l and l + 1 with seed + l.
  void reseed_dropout(uint64_t seed);

  // x [T, N, C]; initial: one state per layer, or none for zeros everywhere.
  void forward(const Tensor& x, const std::vector<LstmState>& initial, bool training);
  // [T, N, output_size()]: the top layer's.
  const Tensor& output() const { return layers_.back().output(); }
  int64_t output_size() const { return layers_.back().output_size(); }
  LstmState final_state(int l) const;

  // x and initial as in the last forward(training = true); grad_final: one
  // per layer, or none. Adds into every layer's parameter gradients.
  void backward(const Tensor& x, const std::vector<LstmState>& initial, const Tensor& grad_output,
                const std::vector<LstmState>& grad_final);
  const Tensor& grad_input() const { return layers_.front().grad_input(); }
  LstmState grad_initial_state(int l) const;

 private:
  LstmState state_at(const std::vector<LstmState>& states, int l, const char* what) const;
  const Tensor& input_of(int l, const Tensor& x) const;

  std::vector<LstmLayer> layers_;
  std::vector<Dropout> dropouts_;  // between layers: num_layers - 1
  std::vector<Tensor> dropped_;    // layer l's output after dropout, when active
  bool dropout_active_ = false;    // in the last forward
  Tensor grad_dropped_;
};

}  // namespace nmt::layers
