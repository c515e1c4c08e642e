#pragma once
// Embedding lookup [vocab, dim]: forward gathers rows, backward adds the output
// gradient back into the rows it came from.

#include <vector>

namespace nmt::layers {

class Embedding {
 public:
  Embedding(int vocab, int dim);

  // ids: [count] -> output: [count, dim]
  void forward(const int* ids, int count, float* output) const;
  // Accumulates into gradient(): gradient[ids[i]] += output_gradient[i].
  void backward(const int* ids, int count, const float* output_gradient);

  int vocab() const { return vocab_; }
  int dim() const { return dim_; }
  std::vector<float>& weights() { return weights_; }
  const std::vector<float>& weights() const { return weights_; }
  std::vector<float>& gradient() { return gradient_; }
  // The largest |weight|: the range of every output (what int8 inference
  // quantizes the next layer's input over).
  float max_abs() const;

 private:
  int vocab_;
  int dim_;
  std::vector<float> weights_;
  std::vector<float> gradient_;
};

}  // namespace nmt::layers
