#include "nmt/layers/lstm_stack.h"

#include <string>

#include "nmt/core/error.h"

namespace nmt::layers {

LstmStack::LstmStack(DnnContext& context, int64_t input_size, int64_t hidden_size, int num_layers,
                     float dropout, uint64_t seed, LstmDirection bottom_direction) {
  if (num_layers < 1) {
    throw Error("LstmStack: needs at least one layer, got " + std::to_string(num_layers));
  }
  layers_.reserve(static_cast<std::size_t>(num_layers));
  for (int l = 0; l < num_layers; ++l) {
    if (l == 0) {
      layers_.emplace_back(context, input_size, hidden_size, bottom_direction);
    } else {
      layers_.emplace_back(context, layers_.back().output_size(), hidden_size);
    }
  }
  for (int l = 0; l + 1 < num_layers; ++l) {
    // Distinct streams per boundary: equal masks would correlate the layers.
    dropouts_.emplace_back(dropout, seed + static_cast<uint64_t>(l));
  }
  dropped_.resize(dropouts_.size());
}

void LstmStack::initialize(uint64_t seed) {
  for (int l = 0; l < num_layers(); ++l) layer(l).initialize(seed + static_cast<uint64_t>(l));
}

void LstmStack::weights_changed() {
  for (LstmLayer& layer : layers_) layer.weights_changed();
}

void LstmStack::quantize_for_inference(float input_bound) {
  for (int l = 0; l < num_layers(); ++l) layer(l).quantize_for_inference(l == 0 ? input_bound : 1.0f);
}

void LstmStack::zero_grad() {
  for (LstmLayer& layer : layers_) layer.zero_grad();
}

LstmState LstmStack::state_at(const std::vector<LstmState>& states, int l, const char* what) const {
  if (states.empty()) return {};
  if (states.size() != layers_.size()) {
    throw Error(std::string("LstmStack: ") + std::to_string(states.size()) + " " + what + " for " +
                std::to_string(layers_.size()) + " layers");
  }
  return states[static_cast<std::size_t>(l)];
}

const Tensor& LstmStack::input_of(int l, const Tensor& x) const {
  if (l == 0) return x;
  return dropout_active_ ? dropped_[static_cast<std::size_t>(l - 1)] : layer(l - 1).output();
}

void LstmStack::forward(const Tensor& x, const std::vector<LstmState>& initial, bool training) {
  dropout_active_ = !dropouts_.empty() && dropouts_.front().active(training);
  for (int l = 0; l < num_layers(); ++l) {
    layer(l).forward(input_of(l, x), state_at(initial, l, "initial states"), training);
    if (dropout_active_ && l + 1 < num_layers()) {
      dropouts_[static_cast<std::size_t>(l)].forward(layer(l).output(),
                                                     dropped_[static_cast<std::size_t>(l)], true);
    }
  }
}

LstmState LstmStack::final_state(int l) const { return {&layer(l).final_h(), &layer(l).final_c()}; }

void LstmStack::backward(const Tensor& x, const std::vector<LstmState>& initial,
                         const Tensor& grad_output, const std::vector<LstmState>& grad_final) {
  const Tensor* grad = &grad_output;
  for (int l = num_layers() - 1; l >= 0; --l) {
    layer(l).backward(input_of(l, x), state_at(initial, l, "initial states"), *grad,
                      state_at(grad_final, l, "final state gradients"));
    if (l == 0) break;
    grad = &layer(l).grad_input();
    if (dropout_active_) {
      dropouts_[static_cast<std::size_t>(l - 1)].backward(*grad, grad_dropped_);
      grad = &grad_dropped_;
    }
  }
}

LstmState LstmStack::grad_initial_state(int l) const {
  return {&layer(l).grad_initial_h(), &layer(l).grad_initial_c()};
}

std::vector<Parameter> LstmStack::parameters(const std::string& prefix) {
  std::vector<Parameter> parameters;
  auto view = [](const std::string& name, Tensor& value, Tensor& gradient) {
    return Parameter{name, value.data(), gradient.data(), static_cast<std::size_t>(value.size())};
  };
  for (int l = 0; l < num_layers(); ++l) {
    auto& lstm = layer(l);
    const std::string name = prefix + "lstm" + std::to_string(l) + "/";
    parameters.push_back(view(name + "weights_layer", lstm.weights_layer(), lstm.grad_weights_layer()));
    parameters.push_back(view(name + "weights_iter", lstm.weights_iter(), lstm.grad_weights_iter()));
    parameters.push_back(view(name + "bias", lstm.bias(), lstm.grad_bias()));
  }
  return parameters;
}

void LstmStack::reseed_dropout(uint64_t seed) {
  for (std::size_t l = 0; l < dropouts_.size(); ++l) dropouts_[l].reseed(seed + l);
}

}  // namespace nmt::layers
