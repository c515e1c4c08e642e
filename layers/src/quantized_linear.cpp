#include "nmt/layers/quantized_linear.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "nmt/core/error.h"
#include "nmt/layers/int8.h"

namespace nmt::layers {

namespace {

using dnnl::memory;
using tag = memory::format_tag;

memory::desc matrix(int rows, int cols, memory::data_type type, tag layout) {
  return memory::desc({rows, cols}, type, layout);
}

}  // namespace

QuantizedLinear::QuantizedLinear(DnnContext& context, int in, int out, float input_bound, Activation activation)
    : context_(&context),
      in_(in),
      out_(out),
      input_bound_(input_bound),
      activation_(activation),
      weights_(static_cast<std::size_t>(in) * out),
      output_scales_(static_cast<std::size_t>(out), 1.0f),
      bias_(static_cast<std::size_t>(out), 0.0f) {
  if (!(input_bound > 0) || !std::isfinite(input_bound))
    throw Error("QuantizedLinear: the input bound must be positive, got " + std::to_string(input_bound));
}

QuantizedLinear::QuantizedLinear(DnnContext& context, const float* weights, const float* bias, int in,
                                 int out, float input_bound, Activation activation)
    : QuantizedLinear(context, in, out, input_bound, activation) {
  if (bias) bias_.assign(bias, bias + out);
#pragma omp parallel for schedule(static)
  for (int o = 0; o < out; ++o) {
    const float scale = int8::quantize_weights(weights + static_cast<std::size_t>(o) * in, in,
                                               weights_.data() + static_cast<std::size_t>(o) * in);
    output_scales_[static_cast<std::size_t>(o)] = input_bound / (int8::kInputLevels * scale);
  }
}

void QuantizedLinear::take_outputs(const QuantizedLinear& source, const std::vector<int>& outputs, float filler_bias) {
  if (source.in_ != in_ || source.input_bound_ != input_bound_ || source.activation_ != activation_ ||
      outputs.size() > static_cast<std::size_t>(out_))
    throw Error("QuantizedLinear::take_outputs: " + std::to_string(outputs.size()) + " outputs of a layer with " +
                std::to_string(source.in_) + " inputs for one of " + std::to_string(out_) + " outputs and " +
                std::to_string(in_) + " inputs, or another input bound or activation");
  const auto in = static_cast<std::size_t>(in_);
  for (std::size_t k = 0; k < static_cast<std::size_t>(out_); ++k) {
    if (k < outputs.size()) {
      const int o = outputs[k];
      if (o < 0 || o >= source.out_)
        throw Error("QuantizedLinear::take_outputs: output " + std::to_string(o) + " of " + std::to_string(source.out_));
      const auto from = static_cast<std::size_t>(o);
      std::copy_n(source.weights_.data() + from * in, in, weights_.data() + k * in);
      output_scales_[k] = source.output_scales_[from];
      bias_[k] = source.bias_[from];
    } else {
      std::fill_n(weights_.data() + k * in, in, std::int8_t{0});
      output_scales_[k] = 1.0f;
      bias_[k] = filler_bias;
    }
  }
}

dnnl::matmul QuantizedLinear::create_primitive(int rows) const {
  // W is [out, in] row-major: read as [in, out] it is the layout "ba".
  const dnnl::matmul::desc desc(matrix(rows, in_, memory::data_type::u8, tag::ab),
                                matrix(in_, out_, memory::data_type::s8, tag::ba),
                                matrix(rows, out_, memory::data_type::f32, tag::ab));
  dnnl::primitive_attr attr;
  attr.set_output_scales(1 << 1, {DNNL_RUNTIME_F32_VAL});
  attr.set_zero_points(DNNL_ARG_SRC, 0, {int8::kZeroPoint});
  dnnl::post_ops add_bias;
  add_bias.append_binary(dnnl::algorithm::binary_add, matrix(1, out_, memory::data_type::f32, tag::ab));
  if (activation_ == Activation::tanh) add_bias.append_eltwise(1.0f, dnnl::algorithm::eltwise_tanh, 0.0f, 0.0f);
  attr.set_post_ops(add_bias);
  return dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, context_->engine()));
}

void QuantizedLinear::forward(const float* x, int rows, float* y) {
  const auto matmul = cache_.get(rows, [&] { return create_primitive(rows); });
  codes_.resize(static_cast<std::size_t>(rows) * in_);
  int8::quantize_input(x, codes_.size(), input_bound_, codes_.data());
  const dnnl::engine& engine = context_->engine();
  matmul->execute(
      context_->stream(),
      {{DNNL_ARG_SRC, memory(matrix(rows, in_, memory::data_type::u8, tag::ab), engine, codes_.data())},
       {DNNL_ARG_WEIGHTS,
        memory(matrix(in_, out_, memory::data_type::s8, tag::ba), engine, const_cast<std::int8_t*>(weights_.data()))},
       {DNNL_ARG_DST, memory(matrix(rows, out_, memory::data_type::f32, tag::ab), engine, y)},
       {DNNL_ARG_ATTR_OUTPUT_SCALES,
        memory({{out_}, memory::data_type::f32, tag::a}, engine, const_cast<float*>(output_scales_.data()))},
       {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1,
        memory(matrix(1, out_, memory::data_type::f32, tag::ab), engine, bias_.data())}});
  context_->wait();
}

}  // namespace nmt::layers
