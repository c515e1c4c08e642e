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
      data_weights_(matrix(out, in, tag::ab)) {
  dnnl::post_ops accumulate;
  accumulate.append_sum(1.0f);
  accumulate_attr_.set_post_ops(accumulate);
  add_transposed_ = dnnl::reorder(dnnl::reorder::primitive_desc(context.engine(), matrix(in, out, tag::ab),
                                                               context.engine(), matrix(in, out, tag::ba),
                                                               accumulate_attr_));
}

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
  // bf16: dW += dy^T x: [out, rows] x [rows, in], accumulated by a sum post-op.
  // f32: dW^T = x^T dy: [in, rows] x [rows, out] into a scratch matrix that a
  // reorder then adds, transposed, into dW. The same products, but oneDNN's
  // f32 gemm ran this orientation at 1.2-1.7x the speed of the other on AVX2
  // (the output projection's 8000 x 256 gradient: 65 + 2 ms for the reorder
  // against 83 ms at 1,950 rows; attention's 256 x 512: 2.9 against 3.5 ms),
  // and writing a transposed matrix directly falls back to oneDNN's reference
  // kernel. The bf16 path keeps the orientation it was measured in.
  // With a bias, x carries a column of ones, so the product's last row is the
  // bias gradient (dy's column sums) at no measurable cost: a separate pass
  // over dy took 5.5 ms of the projection's 44 at 960 rows.
  const int x_columns = in_ + (with_bias_ ? 1 : 0);
  const dnnl::matmul::desc weights_desc =
      bf16 ? dnnl::matmul::desc(matrix(out_, rows, tag::ba, in_type), matrix(rows, in_, tag::ab, in_type),
                                matrix(out_, in_, tag::ab))
           : dnnl::matmul::desc(matrix(x_columns, rows, tag::ba), matrix(rows, out_, tag::ab),
                                matrix(x_columns, out_, tag::ab));
  const dnnl::primitive_attr weights_attr = bf16 ? accumulate_attr_ : dnnl::primitive_attr();
  dnnl::post_ops activate;
  if (activation_ == Activation::tanh) activate.append_eltwise(1.0f, dnnl::algorithm::eltwise_tanh, 0.0f, 0.0f);
  dnnl::primitive_attr activate_attr;
  activate_attr.set_post_ops(activate);
  const dnnl::matmul::primitive_desc forward_pd(forward_desc, activate_attr, context_->engine());
  const dnnl::matmul::primitive_desc data_pd(data_desc, context_->engine());
  return Primitives{dnnl::matmul(forward_pd), dnnl::matmul(data_pd),
                    dnnl::matmul(dnnl::matmul::primitive_desc(weights_desc, weights_attr, context_->engine())),
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
  const dnnl::memory dy_rows =  // [rows, out]
      bf16 ? bf16_memory(matrix(rows, out_, tag::ab, dt::bf16), engine,
                         to_bf16(dy, std::size_t(rows) * out_, dy_bf16_))
           : as_memory(dy, matrix(rows, out_, tag::ab), engine);
  if (dx) {
    const dnnl::memory weights = bf16 ? data_weights_.in_layout(weights_, p.data_weights, *context_)
                                      : as_memory(weights_, matrix(out_, in_, tag::ab), engine);
    p.backward_data.execute(context_->stream(), {{DNNL_ARG_SRC, dy_rows},
                                                 {DNNL_ARG_WEIGHTS, weights},
                                                 {DNNL_ARG_DST, as_memory(dx, matrix(rows, in_, tag::ab), engine)}});
  }
  if (bf16)
    add_gradients_bf16(x, dy, dy_rows, rows);
  else
    add_gradients_f32(x, dy_rows, rows);
}

void Linear::add_gradients_f32(const float* x, const dnnl::memory& dy_rows, int rows) {
  const dnnl::engine& engine = context_->engine();
  // [x, 1] read as [in (+1), rows]: its product with dy, [in (+1), out],
  // holds W's gradient transposed, then the bias gradient.
  const float* x_for_weights = x;
  if (with_bias_) {
    const std::size_t columns = static_cast<std::size_t>(in_) + 1;
    x_with_ones_.resize(static_cast<std::size_t>(rows) * columns);
    for (int r = 0; r < rows; ++r) {
      std::copy(x + static_cast<std::size_t>(r) * in_, x + static_cast<std::size_t>(r + 1) * in_,
                x_with_ones_.begin() + static_cast<std::ptrdiff_t>(r * columns));
      x_with_ones_[r * columns + in_] = 1.0f;
    }
    x_for_weights = x_with_ones_.data();
  }
  const int x_columns = in_ + (with_bias_ ? 1 : 0);
  transposed_gradient_.resize(static_cast<std::size_t>(x_columns) * out_);
  auto& p = primitives_for(rows, false);
  p.backward_weights.execute(
      context_->stream(),
      {{DNNL_ARG_SRC, as_memory(x_for_weights, matrix(x_columns, rows, tag::ba), engine)},
       {DNNL_ARG_WEIGHTS, dy_rows},
       {DNNL_ARG_DST, as_memory(transposed_gradient_.data(), matrix(x_columns, out_, tag::ab), engine)}});
  // Its first in rows, added into W's gradient [out, in] read as [in, out]
  // (the layout "ba").
  dnnl::memory transposed = as_memory(transposed_gradient_.data(), matrix(in_, out_, tag::ab), engine);
  dnnl::memory gradient = as_memory(weight_gradient_, matrix(in_, out_, tag::ba), engine);
  add_transposed_.execute(context_->stream(), transposed, gradient);
  context_->wait();
  if (with_bias_) {
    const float* sums = transposed_gradient_.data() + static_cast<std::size_t>(in_) * out_;
    for (int j = 0; j < out_; ++j) bias_gradient_[j] += sums[j];
  }
}

void Linear::add_gradients_bf16(const float* x, const float* dy, const dnnl::memory& dy_rows, int rows) {
  const dnnl::engine& engine = context_->engine();
  // dy read as [out, rows], from the same bf16 copy.
  const dnnl::memory dy_columns = bf16_memory(matrix(out_, rows, tag::ba, dt::bf16), engine,
                                              static_cast<std::uint16_t*>(dy_rows.get_data_handle()));
  const dnnl::memory x_rows = bf16_memory(matrix(rows, in_, tag::ab, dt::bf16), engine,
                                          to_bf16(x, std::size_t(rows) * in_, x_bf16_));
  primitives_for(rows, true)
      .backward_weights.execute(context_->stream(),
                                {{DNNL_ARG_SRC, dy_columns},
                                 {DNNL_ARG_WEIGHTS, x_rows},
                                 {DNNL_ARG_DST, as_memory(weight_gradient_, matrix(out_, in_, tag::ab), engine)}});
  context_->wait();
  if (with_bias_) {
    // Column sums of the f32 dy, each thread over its own slice of columns.
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
