#pragma once
// Inverted dropout: in training each element is zeroed with probability p and
// the survivors scaled by 1/(1-p), so that inference is the identity. The
// mask comes from a seeded generator and is kept for the backward pass.

#include <cstdint>

#include "nmt/core/random.h"
#include "nmt/core/tensor.h"

namespace nmt::layers {

class Dropout {
 public:
  // 0 <= probability < 1.
  Dropout(float probability, uint64_t seed);

  float probability() const { return probability_; }
  // Restarts the mask sequence. Training reseeds from (seed, step) before each
  // step, so a resumed run draws the same masks without saving generator state.
  void reseed(uint64_t seed) { rng_ = Rng(seed); }
  // Whether forward(..., training) changes anything.
  bool active(bool training) const { return training && probability_ > 0.0f; }

  // y = x * mask with a fresh mask when active(training), y = x otherwise.
  void forward(const Tensor& x, Tensor& y, bool training);
  // grad_x = grad_y * mask of the last active forward.
  void backward(const Tensor& grad_y, Tensor& grad_x) const;
  // 0 or 1/(1-p) per element.
  const Tensor& mask() const { return mask_; }

 private:
  float probability_;
  Rng rng_;
  Tensor mask_;
};

}  // namespace nmt::layers
