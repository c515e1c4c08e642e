#include "lstm_step.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include "nmt/core/dnn_memory.h"

namespace nmt::bench {

using tag = dnnl::memory::format_tag;

MatmulLstmStep::MatmulLstmStep(DnnContext& context, const layers::LstmLayer& layer, int batch)
    : context_(&context),
      batch_(batch),
      input_(static_cast<int>(layer.input_size())),
      hidden_(static_cast<int>(layer.hidden_size())),
      stacked_input_({batch, input_ + hidden_}),
      gates_({batch, 4 * hidden_}),
      bias_({4 * hidden_}) {
  const int64_t K = input_ + hidden_, G = 4 * hidden_;
  // ldigo [C, 4, H] and [H, 4, H] are already [rows, 4H] row-major: stack them.
  Tensor stacked({K, G});
  std::memcpy(stacked.data(), layer.weights_layer().data(), sizeof(float) * input_ * G);
  std::memcpy(stacked.data() + input_ * G, layer.weights_iter().data(), sizeof(float) * hidden_ * G);
  std::memcpy(bias_.data(), layer.bias().data(), sizeof(float) * G);
  const auto weights_any = dnnl::memory::desc({K, G}, dnnl::memory::data_type::f32, tag::any);
  pd_ = dnnl::matmul::primitive_desc(
      dnnl::matmul::desc(plain_desc({batch, K}, tag::ab), weights_any, plain_desc({batch, G}, tag::ab)),
      context.engine());
  matmul_ = dnnl::matmul(pd_);
  weights_storage_.resize(pd_.weights_desc().get_size() / sizeof(float) + 1);
  weights_ = dnnl::memory(pd_.weights_desc(), context.engine(), weights_storage_.data());
  auto plain = as_memory(stacked, plain_desc({K, G}, tag::ab), context.engine());
  dnnl::reorder(plain, weights_).execute(context.stream(), plain, weights_);
  context.wait();
}

void MatmulLstmStep::multiply(const Tensor& x, const Tensor& h) {
  const int K = input_ + hidden_, H = hidden_;
  for (int n = 0; n < batch_; ++n) {
    std::memcpy(stacked_input_.data() + n * K, x.data() + n * input_, sizeof(float) * input_);
    std::memcpy(stacked_input_.data() + n * K + input_, h.data() + n * H, sizeof(float) * H);
  }
  const auto& engine = context_->engine();
  matmul_.execute(context_->stream(),
                  {{DNNL_ARG_SRC, as_memory(stacked_input_, pd_.src_desc(), engine)},
                   {DNNL_ARG_WEIGHTS, weights_},
                   {DNNL_ARG_DST, as_memory(gates_, pd_.dst_desc(), engine)}});
  context_->wait();
}

void MatmulLstmStep::run(const Tensor& x, const Tensor& h, const Tensor& c, Tensor& h_out,
                         Tensor& c_out) {
  multiply(x, h);
  const int H = hidden_;
  auto sigmoid = [](float v) { return 1.0f / (1.0f + std::exp(-v)); };
  for (int n = 0; n < batch_; ++n) {
    const float* g = gates_.data() + static_cast<int64_t>(n) * 4 * H;
    const float* b = bias_.data();
    for (int j = 0; j < H; ++j) {
      const float i = sigmoid(g[j] + b[j]);
      const float f = sigmoid(g[H + j] + b[H + j]);
      const float candidate = std::tanh(g[2 * H + j] + b[2 * H + j]);
      const float o = sigmoid(g[3 * H + j] + b[3 * H + j]);
      const float cell = f * c[n * H + j] + i * candidate;
      c_out[n * H + j] = cell;
      h_out[n * H + j] = o * std::tanh(cell);
    }
  }
}

}  // namespace nmt::bench
