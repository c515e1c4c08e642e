#include "nmt/encoder/encoder.h"

#include <algorithm>

#include "nmt/core/random.h"

namespace nmt {

namespace {

// [2, N, H] -> [N, H]: the two directions' states added.
void sum_directions(const Tensor& both, Tensor& sum) {
  const int64_t half = both.size() / 2;
  sum.resize({both.dim(1), both.dim(2)});
  for (int64_t i = 0; i < half; ++i) sum[i] = both[i] + both[half + i];
}

// The gradient of a sum reaches both terms unchanged: [N, H] -> [2, N, H].
const Tensor* both_directions(const Tensor* grad, Tensor& both) {
  if (grad == nullptr) return nullptr;
  both.resize({2, grad->dim(0), grad->dim(1)});
  std::copy_n(grad->data(), grad->size(), both.data());
  std::copy_n(grad->data(), grad->size(), both.data() + grad->size());
  return &both;
}

}  // namespace

Encoder::Encoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
                 float dropout, bool bidirectional)
    : embedding_(vocab_size, embedding_size),
      lstm_(dnn, embedding_size, hidden_size, layers, dropout, 0,
            bidirectional ? layers::LstmDirection::bidirectional_concat
                          : layers::LstmDirection::unidirectional) {}

bool Encoder::bidirectional() const {
  return lstm_.layer(0).direction() != layers::LstmDirection::unidirectional;
}

void Encoder::initialize(uint64_t seed) {
  Rng rng(seed);
  for (auto& w : embedding_.weights()) w = rng.uniform(-0.1f, 0.1f);
  lstm_.initialize(seed + 1);
}

std::vector<Parameter> Encoder::parameters() {
  std::vector<Parameter> parameters{{"encoder/embedding", embedding_.weights().data(),
                                     embedding_.gradient().data(), embedding_.weights().size()}};
  for (auto& parameter : lstm_.parameters("encoder/")) parameters.push_back(parameter);
  return parameters;
}

void Encoder::quantize_for_inference() {
  const float bound = embedding_.max_abs();
  lstm_.quantize_for_inference(bound > 0 ? bound : 1.0f);
}

void Encoder::forward(const int* source, int steps, int batch, bool training) {
  const int count = steps * batch;
  source_.assign(source, source + count);
  embedded_.resize({steps, batch, embedding_.dim()});
  embedding_.forward(source, count, embedded_.data());
  lstm_.forward(embedded_, {}, training);
  if (bidirectional()) {
    // Decoder layer 0 is unidirectional with H units: it starts from the SUM
    // of the two directions' final h and of their final c. A sum adds no
    // parameters (a projection of [h_fw; h_bw] would) and keeps both
    // directions' gradients at full strength.
    sum_directions(lstm_.layer(0).final_h(), bottom_h_);
    sum_directions(lstm_.layer(0).final_c(), bottom_c_);
  }
}

Context Encoder::context() const {
  Context context;
  for (int l = 0; l < lstm_.num_layers(); ++l) context.push_back(lstm_.final_state(l));
  if (bidirectional()) context.front() = {&bottom_h_, &bottom_c_};
  return context;
}

void Encoder::backward(const Context& grad_context, const Tensor* grad_outputs) {
  if (grad_outputs == nullptr) {
    zero_grad_output_.resize(lstm_.output().shape());
    zero_grad_output_.zero();
    grad_outputs = &zero_grad_output_;
  }
  if (bidirectional() && !grad_context.empty()) {
    Context grad_final = grad_context;
    grad_final.front() = {both_directions(grad_context.front().h, grad_bottom_h_),
                          both_directions(grad_context.front().c, grad_bottom_c_)};
    lstm_.backward(embedded_, {}, *grad_outputs, grad_final);
  } else {
    lstm_.backward(embedded_, {}, *grad_outputs, grad_context);
  }
  embedding_.backward(source_.data(), static_cast<int>(source_.size()), lstm_.grad_input().data());
}

}  // namespace nmt
