#pragma once
// A view of one trainable tensor and its gradient, as the optimizer sees it.
// Layers own the storage; the optimizer only walks these views.

#include <cstddef>
#include <string>
#include <vector>

namespace nmt {

struct Parameter {
  std::string name;  // unique, e.g. "encoder/lstm0/weights_layer"
  float* value;
  float* gradient;
  std::size_t size;
};

// Euclidean norm of all gradients together.
double gradient_norm(const std::vector<Parameter>& parameters);

// Scales all gradients so that their joint norm is at most max_norm (when
// max_norm > 0). Returns the norm before clipping.
double clip_gradient_norm(const std::vector<Parameter>& parameters, double max_norm);

void zero_gradients(const std::vector<Parameter>& parameters);

}  // namespace nmt
