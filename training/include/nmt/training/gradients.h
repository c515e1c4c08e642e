#pragma once
// Operations over all of a model's gradients at once.

#include <string>
#include <vector>

#include "nmt/core/parameter.h"

namespace nmt {

// Euclidean norm of all gradients together.
double gradient_norm(const std::vector<Parameter>& parameters);

// The factor that brings gradients of the given norm to at most max_norm
// (when max_norm > 0), for Optimizer::step.
float clip_scale(double norm, double max_norm);

// Scales all gradients so that their joint norm is at most max_norm (when
// max_norm > 0). Returns the norm before clipping.
double clip_gradient_norm(const std::vector<Parameter>& parameters, double max_norm);

// The name of the first parameter holding a NaN or infinite weight, or "".
std::string non_finite_parameter(const std::vector<Parameter>& parameters);

}  // namespace nmt
