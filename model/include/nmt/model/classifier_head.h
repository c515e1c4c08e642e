#pragma once
// A sentence classifier's head: the encoder's top layer pooled into one
// vector per sentence (its final state, or the mean or per-feature maximum of
// its states), then a linear layer to one logit per label. Forward and
// backward side by side; the softmax and loss are softmax_cross_entropy's.

#include <cstdint>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/parameter.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/linear.h"
#include "nmt/model/model_config.h"

namespace nmt {

class ClassifierHead {
 public:
  // width: of what is pooled (ModelConfig::pooled_size()).
  ClassifierHead(DnnContext& dnn, Pooling pooling, int width, int labels);

  void initialize(std::uint64_t seed);
  void weights_changed() { linear_.weights_changed(); }
  std::vector<Parameter> parameters();
  Pooling pooling() const { return pooling_; }

  // final_h: the top layer's final state [N, H]; outputs: its states [S, N, E].
  // Returns the logits [N, labels]; both inputs are read in place until backward().
  Tensor& forward(const Tensor& final_h, const Tensor& outputs);
  // grad_logits: [N, labels]. Adds into the layer's gradients and leaves the
  // gradient of what was pooled in grad_final_h() (final) or grad_outputs()
  // (mean, max).
  void backward(const Tensor& grad_logits);
  const Tensor& grad_final_h() const { return grad_final_h_; }
  const Tensor& grad_outputs() const { return grad_outputs_; }
  // max: the position each pooled feature of the last forward() came from.
  const std::vector<std::int64_t>& argmax() const { return argmax_; }

 private:
  Pooling pooling_;
  layers::Linear linear_;
  const Tensor* final_h_ = nullptr;
  const Tensor* outputs_ = nullptr;
  Tensor pooled_, logits_, grad_pooled_, grad_final_h_, grad_outputs_;
  std::vector<std::int64_t> argmax_;  // max: the position each pooled feature came from
};

}  // namespace nmt
