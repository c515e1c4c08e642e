#pragma once
// Operations over all of a model's gradients at once.

#include <vector>

#include "nmt/core/parameter.h"

namespace nmt {

// Euclidean norm of all gradients together.
double gradient_norm(const std::vector<Parameter>& parameters);

// Scales all gradients so that their joint norm is at most max_norm (when
// max_norm > 0). Returns the norm before clipping.
double clip_gradient_norm(const std::vector<Parameter>& parameters, double max_norm);

void zero_gradients(const std::vector<Parameter>& parameters);

}  // namespace nmt
