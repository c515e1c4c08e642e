#pragma once
// A fully connected layer y = x W^T + b on oneDNN matmul, forward and backward
// side by side. W is stored [out, in] row-major, so an embedding table
// [vocab, dim] can serve directly as the output projection (tied weights).
// Primitives are created once per row count and reused. An activation, when
// asked for, runs fused into the forward matmul (a oneDNN post-op).
// On a bf16 context (DnnContext::use_bf16) the three matmuls read bf16 copies
// of x, dy and W and write f32 (outputs, dx, and the f32 weight gradient they
// add into); the copies of W are refreshed after weights_changed().

#include <dnnl.hpp>

#include <cstdint>
#include <utility>
#include <vector>

#include "nmt/core/bf16.h"
#include "nmt/core/dnn_context.h"
#include "nmt/core/primitive_cache.h"
#include "nmt/core/reordered_weights.h"

namespace nmt::layers {

enum class Activation { none, tanh };

class Linear {
 public:
  Linear(DnnContext& context, int in, int out, bool with_bias = true, Activation activation = Activation::none);

  // x: [rows, in] -> y = activation(x W^T + b): [rows, out]
  void forward(const float* x, int rows, float* y);
  // Given x from the forward pass and dy: [rows, out], the gradient at
  // x W^T + b (before the activation: the caller holds y and applies the
  // activation's derivative), writes dx (if not null) and ADDS into the
  // weight and bias gradients.
  void backward(const float* x, const float* dy, int rows, float* dx);

  // Use another tensor of shape [out, in] as W (and its gradient): tying.
  void share_weights(float* weights, float* gradient);
  // After changing W or b (optimizer step, loading): bf16 primitives read
  // copies made from them.
  void weights_changed();

  int in() const { return in_; }
  int out() const { return out_; }
  float* weights() { return weights_; }
  float* weight_gradient() { return weight_gradient_; }
  std::vector<float>& bias() { return bias_; }
  std::vector<float>& bias_gradient() { return bias_gradient_; }
  // Primitive sets made so far (one per row count used, unless evicted and
  // made again): what a test of their reuse counts.
  std::uint64_t primitives_created() const { return cache_.created(); }

 private:
  struct Primitives {
    dnnl::matmul forward, backward_data, backward_weights;
    dnnl::memory::desc forward_weights, data_weights;  // the layouts W is read in
  };
  using Key = std::pair<int, bool>;  // rows, bf16
  Primitives& primitives_for(int rows, bool bf16);
  Primitives create_primitives(int rows, bool bf16) const;
  // The weight and bias gradients of backward(), added in; dy_rows is dy as
  // [rows, out] in the precision of the matmuls.
  void add_gradients_f32(const float* x, const dnnl::memory& dy_rows, int rows);
  void add_gradients_bf16(const float* x, const float* dy, const dnnl::memory& dy_rows, int rows);

  DnnContext* context_;
  int in_, out_;
  bool with_bias_;
  Activation activation_;
  std::vector<float> own_weights_, own_weight_gradient_;
  float* weights_;
  float* weight_gradient_;
  std::vector<float> bias_, bias_gradient_;
  // Row counts vary with every batch. Each primitive set holds its own JIT
  // kernels (oneDNN's brgemm matmul makes them per primitive): with 256 sets a
  // training run on AVX-512 peaked 0.4 GB higher (1,455 against 1,049 MiB
  // after 90 s of the default recipe) at the same speed.
  static constexpr std::size_t kMaxCachedShapes = 32;
  PrimitiveCache<Key, Primitives> cache_{kMaxCachedShapes};
  // bf16: W in each matmul's layout ([in, out] forward, [out, in] for dx).
  ReorderedWeights forward_weights_, data_weights_;
  Bf16Buffer x_bf16_, dy_bf16_;
  // Adds (a sum post-op) into the gradient.
  dnnl::primitive_attr accumulate_attr_;
  // f32: x with a column of ones (with a bias), the weight gradient of a
  // batch as [in, out] followed by the bias gradient, and the reorder that
  // adds the former into W's [out, in] gradient (see create_primitives).
  std::vector<float> x_with_ones_, transposed_gradient_;
  dnnl::reorder add_transposed_;
};

}  // namespace nmt::layers
