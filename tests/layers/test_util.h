#pragma once
// Helpers shared by the layer tests: random tensors, conversions to the
// double-precision reference, tolerance checks and finite differences.

#include <functional>
#include <string>

#include "nmt/core/random.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/lstm_layer.h"
#include "reference_lstm.h"

namespace nmt::testing {

Tensor random_tensor(const Shape& shape, Rng& rng, float bound = 1.0f);
void fill_uniform(Tensor& tensor, Rng& rng, float bound);
Values to_values(const Tensor& tensor);
Values scaled(const Values& values, double factor);
double dot(const Values& a, const Values& b);

// The reference with the layer's (float) parameters.
ReferenceLstm reference_of(const layers::LstmLayer& layer);

// Largest |actual - expected| / max(1, |expected|): relative for large values,
// absolute for those below 1, where a relative error means nothing.
double worst_error(const Values& actual, const Values& expected);
// BOOST_TEST(worst_error <= tolerance), naming `what` and the worst error.
void check_close(const Values& actual, const Values& expected, double tolerance,
                 const std::string& what);
void check_close(const Tensor& actual, const Values& expected, double tolerance,
                 const std::string& what);

// d loss / d parameter by central differences, one element at a time.
Values finite_difference(const std::function<double()>& loss, Values& parameter, double step);

}  // namespace nmt::testing
