#pragma once
// An inference-only int8 copy of a Linear (y = x W^T + b) on oneDNN's int8
// matmul: W in s8 with one scale per output, x quantized to u8 per call (see
// int8.h), the int32 sums scaled back per output and the f32 bias added
// after (a post-op). Made from the f32 weights once: make it again after
// they change. An optional tanh after the bias (attention's W_c). The scales
// reach the primitives at run time, so a layer given other outputs
// (take_outputs) keeps its primitives.

#include <dnnl.hpp>

#include <cstdint>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/primitive_cache.h"
#include "nmt/layers/linear.h"

namespace nmt::layers {

class QuantizedLinear {
 public:
  // weights [out, in] row-major and bias [out] (may be null: none), as Linear
  // keeps them; input_bound: the magnitude inputs stay within (tanh or LSTM
  // outputs: 1).
  QuantizedLinear(DnnContext& context, const float* weights, const float* bias, int in, int out,
                  float input_bound, Activation activation = Activation::none);

  // A layer of `out` outputs for take_outputs() to fill.
  QuantizedLinear(DnnContext& context, int in, int out, float input_bound, Activation activation = Activation::none);

  // Output k becomes source's output outputs[k], taken as it is (no
  // quantizing again); the outputs after outputs.size() get zero weights and
  // filler_bias, so they compute filler_bias exactly.
  void take_outputs(const QuantizedLinear& source, const std::vector<int>& outputs, float filler_bias);

  // x: [rows, in] -> y: [rows, out]
  void forward(const float* x, int rows, float* y);

  int in() const { return in_; }
  int out() const { return out_; }
  std::uint64_t primitives_created() const { return cache_.created(); }

 private:
  dnnl::matmul create_primitive(int rows) const;

  DnnContext* context_;
  int in_, out_;
  float input_bound_;
  Activation activation_;
  std::vector<std::int8_t> weights_;  // [out, in]
  std::vector<float> output_scales_;  // per output
  std::vector<float> bias_;           // [out]: zeros when the layer has none
  std::vector<std::uint8_t> codes_;   // the last input's
  static constexpr std::size_t kMaxCachedShapes = 256;
  PrimitiveCache<int, dnnl::matmul> cache_{kMaxCachedShapes};
};

}  // namespace nmt::layers
