#include "nmt/layers/linear.h"

#include <algorithm>

#include "nmt/core/dnn_memory.h"

namespace nmt::layers {

namespace {

using tag = dnnl::memory::format_tag;

constexpr int kBiasColumns = 512;  // a slice of bias-gradient columns stays in L1 across rows

dnnl::memory::desc matrix(int rows, int cols, tag layout) { return plain_desc({rows, cols}, layout); }

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
      bias_gradient_(bias_.size(), 0.0f) {}

void Linear::share_weights(float* weights, float* gradient) {
  weights_ = weights;
  weight_gradient_ = gradient;
  own_weights_.clear();
  own_weights_.shrink_to_fit();
  own_weight_gradient_.clear();
  own_weight_gradient_.shrink_to_fit();
}

Linear::Primitives& Linear::primitives_for(int rows) {
  return *cache_.get(rows, [&] { return create_primitives(rows); });
}

Linear::Primitives Linear::create_primitives(int rows) const {
  // W is [out, in] row-major: read as [in, out] it is the transposed layout "ba".
  const auto forward_desc =
      with_bias_ ? dnnl::matmul::desc(matrix(rows, in_, tag::ab), matrix(in_, out_, tag::ba),
                                      matrix(1, out_, tag::ab), matrix(rows, out_, tag::ab))
                 : dnnl::matmul::desc(matrix(rows, in_, tag::ab), matrix(in_, out_, tag::ba),
                                      matrix(rows, out_, tag::ab));
  // dx = dy W: [rows, out] x [out, in]
  const dnnl::matmul::desc data_desc(matrix(rows, out_, tag::ab), matrix(out_, in_, tag::ab),
                                     matrix(rows, in_, tag::ab));
  // dW += dy^T x: [out, rows] x [rows, in], accumulated by a sum post-op.
  const dnnl::matmul::desc weights_desc(matrix(out_, rows, tag::ba), matrix(rows, in_, tag::ab),
                                        matrix(out_, in_, tag::ab));
  dnnl::post_ops accumulate;
  accumulate.append_sum(1.0f);
  dnnl::primitive_attr accumulate_attr;
  accumulate_attr.set_post_ops(accumulate);
  dnnl::post_ops activate;
  if (activation_ == Activation::tanh) activate.append_eltwise(1.0f, dnnl::algorithm::eltwise_tanh, 0.0f, 0.0f);
  dnnl::primitive_attr activate_attr;
  activate_attr.set_post_ops(activate);
  return Primitives{
      dnnl::matmul(dnnl::matmul::primitive_desc(forward_desc, activate_attr, context_->engine())),
      dnnl::matmul(dnnl::matmul::primitive_desc(data_desc, context_->engine())),
      dnnl::matmul(dnnl::matmul::primitive_desc(weights_desc, accumulate_attr, context_->engine()))};
}

void Linear::forward(const float* x, int rows, float* y) {
  auto& p = primitives_for(rows);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, as_memory(x, matrix(rows, in_, tag::ab), context_->engine())},
      {DNNL_ARG_WEIGHTS, as_memory(weights_, matrix(in_, out_, tag::ba), context_->engine())},
      {DNNL_ARG_DST, as_memory(y, matrix(rows, out_, tag::ab), context_->engine())}};
  if (with_bias_) args[DNNL_ARG_BIAS] = as_memory(bias_.data(), matrix(1, out_, tag::ab), context_->engine());
  p.forward.execute(context_->stream(), args);
  context_->wait();
}

void Linear::backward(const float* x, const float* dy, int rows, float* dx) {
  auto& p = primitives_for(rows);
  if (dx) {
    p.backward_data.execute(context_->stream(), {{DNNL_ARG_SRC, as_memory(dy, matrix(rows, out_, tag::ab), context_->engine())},
                                      {DNNL_ARG_WEIGHTS, as_memory(weights_, matrix(out_, in_, tag::ab), context_->engine())},
                                      {DNNL_ARG_DST, as_memory(dx, matrix(rows, in_, tag::ab), context_->engine())}});
  }
  p.backward_weights.execute(
      context_->stream(), {{DNNL_ARG_SRC, as_memory(dy, matrix(out_, rows, tag::ba), context_->engine())},
                {DNNL_ARG_WEIGHTS, as_memory(x, matrix(rows, in_, tag::ab), context_->engine())},
                {DNNL_ARG_DST, as_memory(weight_gradient_, matrix(out_, in_, tag::ab), context_->engine())}});
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
