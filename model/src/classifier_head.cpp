#include "nmt/model/classifier_head.h"

#include <limits>

#include "nmt/core/error.h"
#include "nmt/core/random.h"

namespace nmt {

ClassifierHead::ClassifierHead(DnnContext& dnn, Pooling pooling, int width, int labels)
    : pooling_(pooling), linear_(dnn, width, labels) {}

void ClassifierHead::initialize(std::uint64_t seed) {
  Rng rng(seed);
  const std::size_t size = static_cast<std::size_t>(linear_.in()) * linear_.out();
  for (std::size_t i = 0; i < size; ++i) linear_.weights()[i] = rng.uniform(-0.1f, 0.1f);
  for (auto& b : linear_.bias()) b = 0.0f;
}

std::vector<Parameter> ClassifierHead::parameters() {
  return {{"classifier/weights", linear_.weights(), linear_.weight_gradient(),
           static_cast<std::size_t>(linear_.in()) * linear_.out()},
          {"classifier/bias", linear_.bias().data(), linear_.bias_gradient().data(), linear_.bias().size()}};
}

Tensor& ClassifierHead::forward(const Tensor& final_h, const Tensor& outputs) {
  final_h_ = &final_h;
  outputs_ = &outputs;
  const std::int64_t width = linear_.in();
  if (pooling_ == Pooling::final) {
    if (final_h.rank() != 2 || final_h.dim(1) != width) throw Error("ClassifierHead: final state of the wrong width");
    pooled_ = final_h;
  } else {
    if (outputs.rank() != 3 || outputs.dim(2) != width) throw Error("ClassifierHead: states of the wrong width");
    const std::int64_t steps = outputs.dim(0), batch = outputs.dim(1);
    pooled_.resize({batch, width});
    const float* in = outputs.data();
    float* out = pooled_.data();
    if (pooling_ == Pooling::mean) {
      pooled_.zero();
      for (std::int64_t t = 0; t < steps; ++t)
        for (std::int64_t i = 0; i < batch * width; ++i) out[i] += in[t * batch * width + i];
      const float scale = steps > 0 ? 1.0f / static_cast<float>(steps) : 0.0f;
      for (std::int64_t i = 0; i < batch * width; ++i) out[i] *= scale;
    } else {
      argmax_.assign(static_cast<std::size_t>(batch * width), 0);
      for (std::int64_t i = 0; i < batch * width; ++i) out[i] = steps > 0 ? -std::numeric_limits<float>::infinity() : 0;
      for (std::int64_t t = 0; t < steps; ++t)
        for (std::int64_t i = 0; i < batch * width; ++i)
          if (in[t * batch * width + i] > out[i]) {
            out[i] = in[t * batch * width + i];
            argmax_[static_cast<std::size_t>(i)] = t;
          }
    }
  }
  const int rows = static_cast<int>(pooled_.dim(0));
  logits_.resize({rows, linear_.out()});
  linear_.forward(pooled_.data(), rows, logits_.data());
  return logits_;
}

void ClassifierHead::backward(const Tensor& grad_logits) {
  const int rows = static_cast<int>(pooled_.dim(0));
  const std::int64_t width = linear_.in();
  grad_pooled_.resize({rows, width});
  linear_.backward(pooled_.data(), grad_logits.data(), rows, grad_pooled_.data());
  if (pooling_ == Pooling::final) {
    grad_final_h_ = grad_pooled_;
    return;
  }
  const std::int64_t steps = outputs_->dim(0), batch = outputs_->dim(1);
  grad_outputs_.resize({steps, batch, width});
  grad_outputs_.zero();
  float* out = grad_outputs_.data();
  const float* in = grad_pooled_.data();
  if (pooling_ == Pooling::mean) {
    const float scale = steps > 0 ? 1.0f / static_cast<float>(steps) : 0.0f;
    for (std::int64_t t = 0; t < steps; ++t)
      for (std::int64_t i = 0; i < batch * width; ++i) out[t * batch * width + i] = in[i] * scale;
  } else {
    for (std::int64_t i = 0; i < batch * width; ++i)
      if (steps > 0) out[argmax_[static_cast<std::size_t>(i)] * batch * width + i] = in[i];
  }
}

}  // namespace nmt
