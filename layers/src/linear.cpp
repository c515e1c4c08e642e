#include "nmt/layers/linear.h"

#include <algorithm>

#include "nmt/core/dnn_memory.h"

namespace nmt::layers {

namespace {

using tag = dnnl::memory::format_tag;

constexpr int kBiasColumns = 512;  // a slice of bias-gradient columns stays in L1 across rows

using dt = dnnl::memory::data_type;

dnnl::memory::desc matrix(int rows, int cols, tag layout, dt type = dt::f32) {
  return dnnl::memory::desc({rows, cols}, type, layout);
}

dnnl::memory bf16_memory(const dnnl::memory::desc& desc, const dnnl::engine& engine, std::uint16_t* data) {
  return dnnl::memory(desc, engine, data);
}

}  // namespace

Linear::Linear(DnnContext& context, int in, int out, bool with_bias, Activation activation)
    : context_(&context),
      in_(in),
      out_(out),
      with_bias_(with_bias),
      activation_(activation),
      own_weights_(static_cast<std::size_t>(in) * out, 0.0f),
      own_weight_gradient_(own_weights_.size(), 0.0f),
      weights_(own_weights_.data()),
      weight_gradient_(own_weight_gradient_.data()),
      bias_(with_bias ? out : 0, 0.0f),
      bias_gradient_(bias_.size(), 0.0f),
      forward_weights_(matrix(in, out, tag::ba)),
      data_weights_(matrix(out, in, tag::ab)) {}

void Linear::weights_changed() {
  forward_weights_.master_changed();
  data_weights_.master_changed();
}

void Linear::share_weights(float* weights, float* gradient) {
  weights_ = weights;
  weight_gradient_ = gradient;
  own_weights_.clear();
  own_weights_.shrink_to_fit();
  own_weight_gradient_.clear();
  own_weight_gradient_.shrink_to_fit();
  weights_changed();
}

Linear::Primitives& Linear::primitives_for(int rows, bool bf16) {
  return *cache_.get(Key{rows, bf16}, [&] { return create_primitives(rows, bf16); });
}

Linear::Primitives Linear::create_primitives(int rows, bool bf16) const {
  // Inputs in bf16 or f32; outputs and gradients always f32. bf16 weights in
  // the layout the matmul prefers (a reordered copy), f32 ones read in place.
  const dt in_type = bf16 ? dt::bf16 : dt::f32;
  // W is [out, in] row-major: read as [in, out] it is the transposed layout "ba".
  const auto forward_weights = bf16 ? matrix(in_, out_, tag::any, dt::bf16) : matrix(in_, out_, tag::ba);
  const auto forward_desc =
      with_bias_ ? dnnl::matmul::desc(matrix(rows, in_, tag::ab, in_type), forward_weights,
                                      matrix(1, out_, tag::ab), matrix(rows, out_, tag::ab))
                 : dnnl::matmul::desc(matrix(rows, in_, tag::ab, in_type), forward_weights,
                                      matrix(rows, out_, tag::ab));
  // dx = dy W: [rows, out] x [out, in]
  const dnnl::matmul::desc data_desc(matrix(rows, out_, tag::ab, in_type),
                                     bf16 ? matrix(out_, in_, tag::any, dt::bf16) : matrix(out_, in_, tag::ab),
                                     matrix(rows, in_, tag::ab));
  // dW += dy^T x: [out, rows] x [rows, in], accumulated by a sum post-op.
  const dnnl::matmul::desc weights_desc(matrix(out_, rows, tag::ba, in_type), matrix(rows, in_, tag::ab, in_type),
                                        matrix(out_, in_, tag::ab));
  dnnl::post_ops accumulate;
  accumulate.append_sum(1.0f);
  dnnl::primitive_attr accumulate_attr;
  accumulate_attr.set_post_ops(accumulate);
  dnnl::post_ops activate;
  if (activation_ == Activation::tanh) activate.append_eltwise(1.0f, dnnl::algorithm::eltwise_tanh, 0.0f, 0.0f);
  dnnl::primitive_attr activate_attr;
  activate_attr.set_post_ops(activate);
  const dnnl::matmul::primitive_desc forward_pd(forward_desc, activate_attr, context_->engine());
  const dnnl::matmul::primitive_desc data_pd(data_desc, context_->engine());
  return Primitives{dnnl::matmul(forward_pd), dnnl::matmul(data_pd),
                    dnnl::matmul(dnnl::matmul::primitive_desc(weights_desc, accumulate_attr, context_->engine())),
                    forward_pd.weights_desc(), data_pd.weights_desc()};
}

void Linear::forward(const float* x, int rows, float* y) {
  const bool bf16 = context_->bf16();
  auto& p = primitives_for(rows, bf16);
  const dnnl::engine& engine = context_->engine();
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_DST, as_memory(y, matrix(rows, out_, tag::ab), engine)}};
  if (bf16) {
    args[DNNL_ARG_SRC] = bf16_memory(matrix(rows, in_, tag::ab, dt::bf16), engine,
                                     to_bf16(x, std::size_t(rows) * in_, x_bf16_));
    args[DNNL_ARG_WEIGHTS] = forward_weights_.in_layout(weights_, p.forward_weights, *context_);
  } else {
    args[DNNL_ARG_SRC] = as_memory(x, matrix(rows, in_, tag::ab), engine);
    args[DNNL_ARG_WEIGHTS] = as_memory(weights_, matrix(in_, out_, tag::ba), engine);
  }
  if (with_bias_) args[DNNL_ARG_BIAS] = as_memory(bias_.data(), matrix(1, out_, tag::ab), engine);
  p.forward.execute(context_->stream(), args);
  context_->wait();
}

void Linear::backward(const float* x, const float* dy, int rows, float* dx) {
  const bool bf16 = context_->bf16();
  auto& p = primitives_for(rows, bf16);
  const dnnl::engine& engine = context_->engine();
  dnnl::memory dy_rows, dy_columns, x_rows;  // dy as [rows, out] and as [out, rows]; x as [rows, in]
  if (bf16) {
    std::uint16_t* dy16 = to_bf16(dy, std::size_t(rows) * out_, dy_bf16_);
    dy_rows = bf16_memory(matrix(rows, out_, tag::ab, dt::bf16), engine, dy16);
    dy_columns = bf16_memory(matrix(out_, rows, tag::ba, dt::bf16), engine, dy16);
    x_rows = bf16_memory(matrix(rows, in_, tag::ab, dt::bf16), engine, to_bf16(x, std::size_t(rows) * in_, x_bf16_));
  } else {
    dy_rows = as_memory(dy, matrix(rows, out_, tag::ab), engine);
    dy_columns = as_memory(dy, matrix(out_, rows, tag::ba), engine);
    x_rows = as_memory(x, matrix(rows, in_, tag::ab), engine);
  }
  if (dx) {
    const dnnl::memory weights = bf16 ? data_weights_.in_layout(weights_, p.data_weights, *context_)
                                      : as_memory(weights_, matrix(out_, in_, tag::ab), engine);
    p.backward_data.execute(context_->stream(), {{DNNL_ARG_SRC, dy_rows},
                                                 {DNNL_ARG_WEIGHTS, weights},
                                                 {DNNL_ARG_DST, as_memory(dx, matrix(rows, in_, tag::ab), engine)}});
  }
  p.backward_weights.execute(
      context_->stream(), {{DNNL_ARG_SRC, dy_columns},
                           {DNNL_ARG_WEIGHTS, x_rows},
                           {DNNL_ARG_DST, as_memory(weight_gradient_, matrix(out_, in_, tag::ab), engine)}});
  context_->wait();
  if (with_bias_) {
    // Column sums, each thread over its own slice of columns.
    float* db = bias_gradient_.data();
#pragma omp parallel for schedule(static) if (static_cast<std::size_t>(rows) * out_ > 65536)
    for (int begin = 0; begin < out_; begin += kBiasColumns) {
      const int end = std::min(out_, begin + kBiasColumns);
      for (int r = 0; r < rows; ++r) {
        const float* row = dy + static_cast<std::size_t>(r) * out_;
#pragma omp simd
        for (int j = begin; j < end; ++j) db[j] += row[j];
      }
    }
  }
}

}  // namespace nmt::layers
