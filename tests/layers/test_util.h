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

// Tolerances, as worst |a - b| / max(1, |b|) (see worst_error):
// - f32 against the double reference. Every value is a short sum (C + H + 1
//   <= 13 terms) of products of O(1) numbers pushed through sigmoid/tanh,
//   which oneDNN computes with polynomial approximations good to a few ulps;
//   five recurrent steps compound that. Observed worst: 1.3e-7 (states) and
//   2.8e-7 (gradients, which also sum over T * N = 15 terms) with oneDNN
//   dispatching to avx512_core_bf16, avx2 and sse41 (ONEDNN_MAX_CPU_ISA).
//   The tolerances leave ~8x above that (16-32 f32 ulps of O(1) values),
//   while a wrong gate, layout or missing term shows up as 1e-2 or more.
inline constexpr double kStateTolerance = 1e-6;
inline constexpr double kGradTolerance = 2e-6;
// - reference (double) against finite differences with step 1e-5: truncation
//   error ~ step^2 * |f'''| ~ 1e-10, rounding ~ 1e-16 * |loss| / step ~ 1e-10
//   (observed 1.2e-10).
inline constexpr double kFiniteDifferenceStep = 1e-5;
inline constexpr double kReferenceVsFiniteDifference = 1e-8;
// - f32 gradients against finite differences: the f32 error dominates.
inline constexpr double kGradVsFiniteDifference = kGradTolerance;

Tensor random_tensor(const Shape& shape, Rng& rng, float bound = 1.0f);
void fill_uniform(Tensor& tensor, Rng& rng, float bound);
Values to_values(const Tensor& tensor);
Values scaled(const Values& values, double factor);
double dot(const Values& a, const Values& b);

// Weights and bias uniform in [-0.8, 0.8], then weights_changed().
void randomize(layers::LstmLayer& layer, Rng& rng);
// randomize(), then weights scaled by 0.3 (to [-0.24, 0.24]): pre-activations
// of a trained layer's size, for the low-precision tests.
void randomize_trained_size(layers::LstmLayer& layer, Rng& rng);
// The reference with the layer's (float) parameters; for a unidirectional
// layer, and for a bidirectional one its two directions.
ReferenceLstm reference_of(const layers::LstmLayer& layer);
ReferenceBidirectional reference_bidirectional_of(const layers::LstmLayer& layer);

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

// The layer's output and final state against the reference's.
void check_forward(const layers::LstmLayer& layer, const ReferenceTrace& expected,
                   const std::string& what);
void check_forward(const layers::LstmLayer& layer, const ReferenceBidirectionalTrace& expected,
                   const std::string& what);
// All six gradients of the layer's last backward (and zero_grad before it).
void check_grads(const layers::LstmLayer& layer, const ReferenceGrads& expected, double tolerance,
                 const std::string& what);
void check_reference_grads(const ReferenceGrads& actual, const ReferenceGrads& expected,
                           double tolerance, const std::string& what);

}  // namespace nmt::testing
