#pragma once
// Luong global attention (Luong et al., 2015) without input feeding, so a
// decoder LSTM stack can still run over all target steps in one primitive:
// attention reads the decoder's top states afterwards, all steps at once.
//
// For decoder states h_t [H] and encoder outputs s_1..s_S [E] of one sentence,
// with the sentence's source length L:
//   score(t, j) = h_t . s_j            (dot; needs E == H)
//               = h_t . (W_a s_j)      (general; W_a [H, E])
//   a_t = softmax over j < L of score(t, j)   (positions j >= L weigh 0)
//   c_t = sum_j a_t(j) s_j              [E]
//   out_t = tanh(W_c [c_t; h_t])        W_c [H, E + H]; feeds the output projection
//
// Shapes follow the LSTM layers (time-major, tnc): decoder states [T, N, H],
// encoder outputs [S, N, E]. The batched products run on oneDNN matmul reading
// those buffers through strides, so nothing is transposed or copied; the
// masked softmax is a plain loop. Forward and backward side by side;
// parameter gradients ACCUMULATE (zero_grad() once per optimizer step).
//
// A search runs one step at a time on rows that need not be one per sentence
// (a beam search has beam_size rows per sentence): step() reads each row's
// sentence from an AttentionSource through a row -> sentence index, so the
// beams of a sentence share its encoder outputs instead of copies of them;
// its few dot products per row are plain loops.

#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/primitive_cache.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/linear.h"
#include "nmt/layers/quantized_linear.h"

namespace nmt::layers {

enum class AttentionType { dot, general };

// What search steps attend to, made once per batch (LuongAttention::make_source).
// Sentence-major copies: a step reads one sentence's positions per row, and
// the time-major encoder outputs would scatter them a batch's width apart.
struct AttentionSource {
  std::vector<int> lengths;  // [N']: positions >= a sentence's length are padding
  Tensor values;             // the encoder outputs [N', S, E] of N' sentences
  Tensor keys;               // general: W_a s_j [N', S, H], projected once; dot scores the values themselves
};

class LuongAttention {
 public:
  LuongAttention(DnnContext& context, AttentionType type, int64_t hidden_size, int64_t encoder_size);

  AttentionType type() const { return type_; }
  // Primitive sets made so far (one per (T, N, S) used, unless evicted and
  // made again): what a test of their reuse counts.
  std::uint64_t primitives_created() const { return cache_.created(); }
  int64_t hidden_size() const { return hidden_; }
  int64_t encoder_size() const { return encoder_; }

  // W_c [H, E + H] and (general only) W_a [H, E], row-major, and their gradients.
  Linear& combine() { return combine_; }
  Linear* score_projection() { return type_ == AttentionType::general ? &score_projection_ : nullptr; }
  // Uniform in [-1/sqrt(in), 1/sqrt(in)] (PyTorch's nn.Linear default).
  void initialize(uint64_t seed);
  void zero_grad();
  // After changing W_c or W_a (see Linear::weights_changed).
  void weights_changed();
  // From now on step() applies W_c in int8 (quantized_linear.h): its input,
  // a convex combination of encoder outputs beside a decoder state, lies in
  // (-1, 1) as LSTM outputs do. forward() stays f32.
  void quantize_for_inference();

  // Once per batch: the encoder outputs [S, N, E] to attend to and each
  // sentence's source length (1..S). The tensor is read, not copied: it must
  // stay unchanged until the last backward() of this batch.
  void set_source(const Tensor& encoder_outputs, const std::vector<int>& source_lengths);

  // decoder_states [T, N, H] -> output() [T, N, H], attention_weights() [N, T, S].
  // The states are read, not copied: keep them for backward().
  void forward(const Tensor& decoder_states);
  const Tensor& output() const { return output_; }
  const Tensor& attention_weights() const { return weights_; }

  // After forward(): grad_output [T, N, H] -> grad_decoder_states() [T, N, H]
  // and grad_encoder_outputs() [S, N, E] (this call's share; they are
  // overwritten, not accumulated), and adds into the parameter gradients.
  void backward(const Tensor& grad_output);
  const Tensor& grad_decoder_states() const { return grad_decoder_states_; }
  const Tensor& grad_encoder_outputs() const { return grad_encoder_outputs_; }

  // Search. The source of step(), checked as set_source() checks it; the
  // tensor must stay unchanged while steps read it.
  AttentionSource make_source(const Tensor& encoder_outputs, const std::vector<int>& source_lengths);
  // One step: states [N, H] (or [1, N, H]), row r attending to sentence
  // rows[r] of the source. Writes weights [N, S] and output [N, H]; the same
  // function as forward() with T = 1, up to float rounding. Leaves forward()'s
  // tensors, and so a pending backward(), alone.
  void step(const Tensor& states, const AttentionSource& source, const std::vector<int>& rows, Tensor& weights,
            Tensor& output);

 private:
  struct Primitives;
  using ShapeKey = std::tuple<int64_t, int64_t, int64_t>;  // T, N, S
  Primitives& primitives_for(int64_t steps, int64_t batch, int64_t source_steps);
  Primitives create_primitives(int64_t steps, int64_t batch, int64_t source_steps) const;
  void check_source(const Tensor& encoder_outputs, const std::vector<int>& source_lengths) const;

  DnnContext* context_;
  AttentionType type_;
  int64_t hidden_, encoder_;
  Linear score_projection_;  // W_a (general)
  Linear combine_;           // W_c
  std::unique_ptr<QuantizedLinear> int8_combine_;  // after quantize_for_inference()

  const Tensor* source_ = nullptr;
  std::vector<int> source_lengths_;
  Tensor keys_;  // general: W_a s_j [S, N, H]; dot reads the encoder outputs directly
  const Tensor* states_ = nullptr;

  Tensor scores_, weights_;  // [N, T, S]
  Tensor combined_;          // [T, N, E + H]: c_t then h_t
  Tensor output_;            // [T, N, H]
  Tensor grad_pre_, grad_combined_, grad_weights_, grad_keys_, grad_source_from_keys_;
  Tensor grad_decoder_states_, grad_encoder_outputs_;
  Tensor step_combined_;  // step(): [N, E + H]

  static constexpr std::size_t kMaxCachedShapes = 64;
  PrimitiveCache<ShapeKey, Primitives> cache_{kMaxCachedShapes};
};

}  // namespace nmt::layers
