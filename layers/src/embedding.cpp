#include "nmt/layers/embedding.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "nmt/core/error.h"

namespace nmt::layers {

float Embedding::max_abs() const {
  float m = 0;
  for (const float w : weights_) m = std::max(m, std::fabs(w));
  return m;
}

Embedding::Embedding(int vocab, int dim)
    : vocab_(vocab),
      dim_(dim),
      weights_(static_cast<std::size_t>(vocab) * dim, 0.0f),
      gradient_(weights_.size(), 0.0f) {}

void Embedding::forward(const int* ids, int count, float* output) const {
  for (int i = 0; i < count; ++i) {
    if (ids[i] < 0 || ids[i] >= vocab_)
      throw Error("token id " + std::to_string(ids[i]) + " outside the embedding table (" +
                  std::to_string(vocab_) + " rows)");
    const float* row = weights_.data() + static_cast<std::size_t>(ids[i]) * dim_;
    std::copy(row, row + dim_, output + static_cast<std::size_t>(i) * dim_);
  }
}

void Embedding::backward(const int* ids, int count, const float* output_gradient) {
  // Sequential on purpose: the same id may occur many times in a batch.
  for (int i = 0; i < count; ++i) {
    float* row = gradient_.data() + static_cast<std::size_t>(ids[i]) * dim_;
    const float* from = output_gradient + static_cast<std::size_t>(i) * dim_;
    for (int j = 0; j < dim_; ++j) row[j] += from[j];
  }
}

}  // namespace nmt::layers
