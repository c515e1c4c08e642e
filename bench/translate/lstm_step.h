#pragma once
// One decoder LSTM step (T = 1) computed two ways, for bench_translate:
// LstmLayer (oneDNN lstm_forward), and one oneDNN matmul of [x, h] by the
// stacked gate weights [C + H, 4H] followed by the gate maths in one loop.

#include <dnnl.hpp>

#include "nmt/core/dnn_context.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/lstm_layer.h"

namespace nmt::bench {

class MatmulLstmStep {
 public:
  // Copies layer's weights (gate order i, f, c~, o).
  MatmulLstmStep(DnnContext& context, const layers::LstmLayer& layer, int batch);

  // x [N, C] (or [1, N, C]), h and c [N, H] -> h_out, c_out [N, H].
  void run(const Tensor& x, const Tensor& h, const Tensor& c, Tensor& h_out, Tensor& c_out);
  // run()'s first half: the gate pre-activations (without bias) [x, h] W.
  void multiply(const Tensor& x, const Tensor& h);
  std::string impl() const { return pd_.impl_info_str(); }

 private:
  DnnContext* context_;
  int batch_, input_, hidden_;
  dnnl::matmul::primitive_desc pd_;
  dnnl::matmul matmul_;
  Tensor stacked_input_;  // [N, C + H]
  Tensor gates_;          // [N, 4H]
  Tensor bias_;           // [4H]
  dnnl::memory weights_;  // [C + H, 4H] in the primitive's layout
  std::vector<float> weights_storage_;
};

}  // namespace nmt::bench
