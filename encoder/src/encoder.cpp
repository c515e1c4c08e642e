#include "nmt/encoder/encoder.h"

#include "nmt/core/random.h"

namespace nmt {

Encoder::Encoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
                 float dropout)
    : embedding_(vocab_size, embedding_size),
      lstm_(dnn, embedding_size, hidden_size, layers, dropout, 0) {}

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

void Encoder::forward(const int* source, int steps, int batch, bool training) {
  const int count = steps * batch;
  source_.assign(source, source + count);
  embedded_.resize({steps, batch, embedding_.dim()});
  embedding_.forward(source, count, embedded_.data());
  lstm_.forward(embedded_, {}, training);
}

Context Encoder::context() const {
  Context context;
  for (int l = 0; l < lstm_.num_layers(); ++l) context.push_back(lstm_.final_state(l));
  return context;
}

void Encoder::backward(const Context& grad_context, const Tensor* grad_outputs) {
  if (grad_outputs == nullptr) {
    zero_grad_output_.resize(lstm_.output().shape());
    zero_grad_output_.zero();
    grad_outputs = &zero_grad_output_;
  }
  lstm_.backward(embedded_, {}, *grad_outputs, grad_context);
  embedding_.backward(source_.data(), static_cast<int>(source_.size()), lstm_.grad_input().data());
}

}  // namespace nmt
