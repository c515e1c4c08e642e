#pragma once
// One LSTM layer on oneDNN's lstm_forward and lstm_backward, unidirectional
// (left to right) or bidirectional. One layer per primitive, because the first
// layer of a stack reads embeddings of size E != H and dropout sits between
// layers.
//
// For time step t, with x_t [N, C], h_{t-1} and c_{t-1} [N, H]:
//   [i f c~ o] = x_t W_layer + h_{t-1} W_iter + b   (pre-activations, 4 gates)
//   i, f, o = sigmoid(.), c~ = tanh(.)
//   c_t = f * c_{t-1} + i * c~,   h_t = o * tanh(c_t),   y_t = h_t
//
// Master parameters, in the plain layouts oneDNN calls ldigo / ldgo with one
// layer and one direction, gate order i, f, c~, o:
//   weights_layer [C, 4, H]   element (k, g, j): input k to gate g of unit j
//   weights_iter  [H, 4, H]   element (k, g, j): h_{t-1}[k] to gate g of unit j
//   bias          [4, H]
//
// Bidirectional (oneDNN's bidirectional_concat): two independent LSTMs, d = 0
// reading x_0 .. x_{T-1}, d = 1 reading x_{T-1} .. x_0. Output step t is
// [h_t of d = 0; h_t of d = 1], where d = 1's h_t has read x_{T-1} .. x_t, so
// the output is [T, N, 2H]. Every parameter, state and gradient gains a
// leading direction axis: weights_layer [2, C, 4, H], weights_iter
// [2, H, 4, H], bias [2, 4, H], initial and final h, c [2, N, H] (d = 1's
// final state is the one after x_0).
// Gradients have the same shapes and ACCUMULATE over backward calls (oneDNN
// adds into them): call zero_grad() once per optimizer step. After changing
// the weights (optimizer step, loading), call weights_changed(): primitives
// read copies reordered into their preferred layout, refreshed only then.
//
// On a bf16 context (DnnContext::use_bf16) the primitives read and write bf16
// inputs, outputs and h states (converted from and to the f32 tensors this
// class hands out) with bf16 copies of the weights, and keep the cell state,
// the bias, every gradient and the accumulation in f32 (what oneDNN's bf16
// RNN does). The f32 masters stay what the optimizer updates.
//
// Primitives are created once per (T, N, training) and cached. Activations
// (output, final state, workspace) live in the layer: backward() applies to
// the most recent forward(..., training = true).

#include <cstdint>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "nmt/core/bf16.h"
#include "nmt/core/dnn_context.h"
#include "nmt/core/primitive_cache.h"
#include "nmt/core/reordered_weights.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/lstm_state.h"

namespace nmt::layers {

enum class LstmDirection { unidirectional, bidirectional_concat };

class LstmLayer {
 public:
  LstmLayer(DnnContext& context, int64_t input_size, int64_t hidden_size,
            LstmDirection direction = LstmDirection::unidirectional);

  int64_t input_size() const { return input_size_; }
  int64_t hidden_size() const { return hidden_size_; }
  LstmDirection direction() const { return direction_; }
  int64_t directions() const { return direction_ == LstmDirection::unidirectional ? 1 : 2; }
  // Width of one output step: H, or 2H when bidirectional.
  int64_t output_size() const { return directions() * hidden_size_; }
  // The shape of an initial or final h or c: [N, H], or [2, N, H].
  Shape state_shape(int64_t batch) const;

  Tensor& weights_layer() { return weights_layer_; }
  Tensor& weights_iter() { return weights_iter_; }
  Tensor& bias() { return bias_; }
  const Tensor& weights_layer() const { return weights_layer_; }
  const Tensor& weights_iter() const { return weights_iter_; }
  const Tensor& bias() const { return bias_; }
  Tensor& grad_weights_layer() { return grad_weights_layer_; }
  Tensor& grad_weights_iter() { return grad_weights_iter_; }
  Tensor& grad_bias() { return grad_bias_; }
  const Tensor& grad_weights_layer() const { return grad_weights_layer_; }
  const Tensor& grad_weights_iter() const { return grad_weights_iter_; }
  const Tensor& grad_bias() const { return grad_bias_; }

  // Uniform in [-1/sqrt(H), 1/sqrt(H)] for weights and bias (PyTorch's default).
  void initialize(uint64_t seed);
  void weights_changed();
  void zero_grad();

  // From now on inference forwards (training = false) run in int8 (see
  // int8.h): u8 inputs over [-input_bound, input_bound] (the layer divides
  // them by input_bound and multiplies weights_layer by it, so one u8 range
  // serves both the input and the state h in (-1, 1)), s8 weights with one
  // scale per gate and unit, states and cell in f32. weights_changed()
  // quantizes again. Training forwards stay f32.
  void quantize_for_inference(float input_bound);
  bool quantized() const { return int8_input_bound_ > 0; }

  // x [T, N, C] -> output() [T, N, output_size()], final_h() and final_c()
  // of state_shape(N).
  // The initial state may be this layer's own final_h()/final_c() (decoding
  // one step at a time).
  void forward(const Tensor& x, LstmState initial, bool training);
  const Tensor& output() const { return output_; }
  const Tensor& final_h() const { return final_h_; }
  const Tensor& final_c() const { return final_c_; }

  // x and initial: the same as in the last forward(training = true).
  // grad_output [T, N, output_size()]; grad_final: gradients reaching
  // final_h/final_c. -> grad_input() [T, N, C], grad_initial_h() and
  // grad_initial_c() of state_shape(N);
  // adds into the parameter gradients.
  void backward(const Tensor& x, LstmState initial, const Tensor& grad_output,
                LstmState grad_final);
  const Tensor& grad_input() const { return grad_input_; }
  const Tensor& grad_initial_h() const { return grad_initial_h_; }
  const Tensor& grad_initial_c() const { return grad_initial_c_; }

  // Primitive sets made so far (one per shape used, unless evicted and made
  // again): what a test of their reuse counts.
  std::uint64_t primitives_created() const { return cache_.created(); }
  // int8 weight layouts held, and the reorders that made them (tests).
  std::size_t int8_weight_copies() const { return int8_layer_copies_ ? int8_layer_copies_->copies() : 0; }
  std::uint64_t int8_weight_reorders() const { return int8_layer_copies_ ? int8_layer_copies_->reorders() : 0; }

  // The oneDNN implementations serving (T, N, training), e.g. for benchmarks.
  std::string forward_impl_name(int64_t steps, int64_t batch, bool training);
  std::string backward_impl_name(int64_t steps, int64_t batch);

 private:
  struct Primitives;
  enum class Arithmetic { f32, bf16, int8 };
  // T, N, training, arithmetic, and the quantization an int8 primitive was made for.
  using ShapeKey = std::tuple<int64_t, int64_t, bool, Arithmetic, int>;

  Arithmetic arithmetic(bool training) const;
  std::shared_ptr<Primitives> primitives_for(int64_t steps, int64_t batch, bool training);
  Primitives create_primitives(int64_t steps, int64_t batch, bool training, Arithmetic arithmetic) const;
  dnnl::primitive_attr int8_attr() const;
  void check_state(const Tensor* state, int64_t batch, const char* what) const;
  const Tensor& state_or_zeros(const Tensor* state, int64_t batch);

  DnnContext* context_;
  int64_t input_size_;
  int64_t hidden_size_;
  LstmDirection direction_;

  Tensor weights_layer_, weights_iter_, bias_;
  Tensor grad_weights_layer_, grad_weights_iter_, grad_bias_;
  ReorderedWeights weights_layer_copies_, weights_iter_copies_;

  static constexpr std::size_t kMaxCachedShapes = 64;
  PrimitiveCache<ShapeKey, Primitives> cache_{kMaxCachedShapes};
  // What backward() needs from the last training forward (kept even if its
  // cache entry is evicted meanwhile).
  std::shared_ptr<Primitives> last_training_;
  Tensor workspace_;  // shared by all shapes: only the latest forward's counts

  Tensor output_, final_h_, final_c_;
  Tensor grad_input_, grad_initial_h_, grad_initial_c_;
  Tensor carried_h_, carried_c_;  // see forward()
  Tensor zeros_;

  // int8 inference (quantize_for_inference).
  float int8_input_bound_ = 0;          // 0: f32
  int int8_generation_ = 0;             // which quantization the int8 primitives carry
  // s8 codes in ldigo, of input_bound x weights_layer and of weights_iter.
  std::vector<std::int8_t> int8_weights_layer_, int8_weights_iter_;
  std::vector<float> int8_scales_;      // per gate and unit [4, H], shared by both directions
  std::unique_ptr<ReorderedWeights> int8_layer_copies_, int8_iter_copies_;
  std::vector<std::uint8_t> int8_input_;

  // bf16: the last forward's input, initial h, output and final h, which
  // backward reads again.
  Bf16Buffer x_bf16_, initial_h_bf16_, output_bf16_, final_h_bf16_;
};

}  // namespace nmt::layers
