#include "nmt/layers/dropout.h"

#include <algorithm>
#include <string>

#include "nmt/core/error.h"

namespace nmt::layers {

Dropout::Dropout(float probability, uint64_t seed) : probability_(probability), rng_(seed) {
  if (!(probability >= 0.0f && probability < 1.0f)) {
    throw Error("dropout probability must be in [0, 1), got " + std::to_string(probability));
  }
}

void Dropout::forward(const Tensor& x, Tensor& y, bool training) {
  y.resize(x.shape());
  if (!active(training)) {
    std::copy(x.data(), x.data() + x.size(), y.data());
    return;
  }
  const float keep_scale = 1.0f / (1.0f - probability_);
  mask_.resize(x.shape());
  for (int64_t i = 0; i < x.size(); ++i) {
    mask_[i] = rng_.uniform() < probability_ ? 0.0f : keep_scale;
    y[i] = x[i] * mask_[i];
  }
}

void Dropout::backward(const Tensor& grad_y, Tensor& grad_x) const {
  if (grad_y.shape() != mask_.shape()) {
    throw Error("Dropout::backward: gradient of shape " + to_string(grad_y.shape()) +
                ", but the last training forward had " + to_string(mask_.shape()));
  }
  grad_x.resize(grad_y.shape());
  for (int64_t i = 0; i < grad_y.size(); ++i) grad_x[i] = grad_y[i] * mask_[i];
}

}  // namespace nmt::layers
