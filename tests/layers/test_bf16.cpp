// bf16 layers (DnnContext::use_bf16) against double-precision plain loops,
// within bounds derived from bf16's rounding (7 stored mantissa bits: a
// relative step of 2^-7, so each rounded value is off by at most u = 2^-8 of
// itself), and checks that
// bf16 really ran (errors above f32's). Skipped where the CPU lacks native
// bf16; the refusal there is tested instead (ctest runs it with oneDNN held
// to AVX2).

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "nmt/core/bf16.h"
#include "nmt/core/dnn_context.h"
#include "nmt/core/error.h"
#include "nmt/core/precision.h"
#include "nmt/layers/linear.h"
#include "test_util.h"

using namespace nmt;
using namespace nmt::testing;
using nmt::layers::LstmDirection;
using nmt::layers::LstmLayer;
namespace tt = boost::test_tools;
namespace ut = boost::unit_test;

namespace {

constexpr double kUnitRoundoff = 1.0 / 256;  // 2^-8: half of bf16's relative step

struct NativeBf16 {
  tt::assertion_result operator()(ut::test_unit_id) const {
    tt::assertion_result result(DnnContext::has_native_bf16());
    result.message() << "oneDNN found " << DnnContext::cpu_isa_name() << ", without native bf16";
    return result;
  }
};

struct NoNativeBf16 {
  tt::assertion_result operator()(ut::test_unit_id) const {
    tt::assertion_result result(!DnnContext::has_native_bf16());
    result.message() << "oneDNN found " << DnnContext::cpu_isa_name() << ", with native bf16";
    return result;
  }
};

float round_trip(float value) {
  std::uint16_t half;
  float back;
  to_bf16(&value, 1, &half);
  from_bf16(&half, 1, &back);
  return back;
}

struct Fixture {
  Fixture() {
    if (DnnContext::has_native_bf16()) context.use_bf16(true);
  }
  DnnContext context;
  Rng rng{20261202};
};

// |sum_k a_k b_k - (sum of the bf16-rounded products)| <= sum_k |a_k b_k| (2u + u^2),
// plus f32 accumulation (K f32 ulps of the same sum).
double rounding_bound(double sum_of_magnitudes, int terms) {
  return sum_of_magnitudes * (2 * kUnitRoundoff + kUnitRoundoff * kUnitRoundoff +
                              terms * std::numeric_limits<float>::epsilon());
}

}  // namespace

BOOST_AUTO_TEST_CASE(bf16_conversion_rounds_to_nearest_even) {
  BOOST_TEST(round_trip(1.0f) == 1.0f);
  BOOST_TEST(round_trip(-2.5f) == -2.5f);
  // Neighbours of 1 are 1 - 2^-8 and 1 + 2^-7.
  BOOST_TEST(round_trip(1.0f + 1.0f / 256) == 1.0f);                  // a tie: to the even one
  BOOST_TEST(round_trip(1.0f + 3.0f / 256) == 1.0f + 2.0f / 128);     // a tie: to the even one
  BOOST_TEST(round_trip(1.0f + 3.0f / 512) == 1.0f + 1.0f / 128);     // above half: up
  BOOST_TEST(round_trip(1.0f + 1.0f / 512) == 1.0f);                  // below half: down
  BOOST_TEST(round_trip(std::numeric_limits<float>::infinity()) == std::numeric_limits<float>::infinity());
  BOOST_TEST(std::isnan(round_trip(std::numeric_limits<float>::quiet_NaN())));
  // The largest float rounds up to infinity, as it must (beyond bf16's range).
  BOOST_TEST(std::isinf(round_trip(std::numeric_limits<float>::max())));
  std::mt19937 gen(3);
  std::uniform_real_distribution<float> uniform(-100, 100);
  std::vector<float> values(100000), back(values.size());
  Bf16Buffer half;
  for (auto& v : values) v = uniform(gen);
  from_bf16(to_bf16(values.data(), values.size(), half), values.size(), back.data());
  double worst = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    worst = std::max(worst, std::fabs(double(back[i]) - values[i]) / std::fabs(values[i]));
  BOOST_TEST(worst <= kUnitRoundoff);
  BOOST_TEST(worst > kUnitRoundoff / 2);  // the rounding did happen
}

BOOST_FIXTURE_TEST_SUITE(bf16_layers, Fixture)

BOOST_AUTO_TEST_CASE(bf16_refused_where_the_cpu_lacks_it, *ut::precondition(NoNativeBf16())) {
  BOOST_CHECK_THROW(context.use_bf16(true), Error);
  BOOST_CHECK_THROW(parse_precision("bf16"), Error);
  BOOST_TEST(to_string(parse_precision("auto")) == "f32");
  BOOST_TEST(!context.bf16());
}

BOOST_AUTO_TEST_CASE(bf16_linear_is_within_its_rounding_bound, *ut::precondition(NativeBf16())) {
  BOOST_TEST(to_string(parse_precision("auto")) == "bf16");
  const int rows = 33, in = 80, out = 120;
  layers::Linear layer(context, in, out);
  std::mt19937 gen(11);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::vector<float> x(std::size_t(rows) * in), dy(std::size_t(rows) * out), y(dy.size()), dx(x.size());
  for (auto& v : x) v = uniform(gen);
  for (auto& v : dy) v = uniform(gen);
  for (int i = 0; i < in * out; ++i) layer.weights()[i] = uniform(gen) * 0.3f;
  for (auto& v : layer.bias()) v = uniform(gen);
  layer.weights_changed();
  layer.forward(x.data(), rows, y.data());
  layer.backward(x.data(), dy.data(), rows, dx.data());

  const float* w = layer.weights();
  // Each output against its own bound; the worst error must also exceed what
  // f32 would make (1e-6 of the bound's scale), or bf16 never ran.
  double worst_ratio = 0, worst_error = 0;
  const auto check = [&](double actual, double expected, double magnitudes, int terms) {
    const double error = std::fabs(actual - expected), bound = rounding_bound(magnitudes, terms);
    worst_ratio = std::max(worst_ratio, error / bound);
    worst_error = std::max(worst_error, error);
  };
  for (int r = 0; r < rows; ++r) {
    for (int o = 0; o < out; ++o) {
      double expected = layer.bias()[o], magnitudes = 0;
      for (int k = 0; k < in; ++k) {
        expected += double(x[r * in + k]) * w[o * in + k];
        magnitudes += std::fabs(double(x[r * in + k]) * w[o * in + k]);
      }
      check(y[r * out + o], expected, magnitudes, in);
    }
    for (int k = 0; k < in; ++k) {
      double expected = 0, magnitudes = 0;
      for (int o = 0; o < out; ++o) {
        expected += double(dy[r * out + o]) * w[o * in + k];
        magnitudes += std::fabs(double(dy[r * out + o]) * w[o * in + k]);
      }
      check(dx[r * in + k], expected, magnitudes, out);
    }
  }
  for (int o = 0; o < out; ++o)
    for (int k = 0; k < in; ++k) {
      double expected = 0, magnitudes = 0;
      for (int r = 0; r < rows; ++r) {
        expected += double(dy[r * out + o]) * x[r * in + k];
        magnitudes += std::fabs(double(dy[r * out + o]) * x[r * in + k]);
      }
      check(layer.weight_gradient()[o * in + k], expected, magnitudes, rows);
    }
  BOOST_TEST_MESSAGE("bf16 Linear: worst error " << worst_error << ", " << worst_ratio << " of its bound");
  BOOST_TEST(worst_ratio <= 1.0);
  BOOST_TEST(worst_error > 1e-4);  // f32 would be below 1e-5 here

  // weights_changed() refreshes the bf16 copies: doubled weights, doubled products.
  for (int i = 0; i < in * out; ++i) layer.weights()[i] *= 2;
  layer.weights_changed();
  std::vector<float> y2(y.size());
  layer.forward(x.data(), rows, y2.data());
  for (int r = 0; r < rows; ++r)
    for (int o = 0; o < out; ++o) {
      // bf16(2w) = 2 bf16(w): exactly twice the products, so within f32 rounding.
      const double expected = 2 * (y[r * out + o] - layer.bias()[o]) + layer.bias()[o];
      BOOST_TEST(y2[r * out + o] == expected, tt::tolerance(1e-4));
    }
}

BOOST_AUTO_TEST_CASE(bf16_lstm_follows_the_reference, *ut::precondition(NativeBf16())) {
  const int64_t C = 24, H = 16, T = 6, N = 3;
  LstmLayer layer(context, C, H);
  randomize_trained_size(layer, rng);
  const Tensor x = random_tensor({T, N, C}, rng), h0 = random_tensor({N, H}, rng), c0 = random_tensor({N, H}, rng);
  const Tensor grad_y = random_tensor({T, N, H}, rng), grad_h = random_tensor({N, H}, rng),
               grad_c = random_tensor({N, H}, rng);
  const ReferenceLstm reference = reference_of(layer);
  const ReferenceTrace expected = reference_forward(reference, to_values(x), T, N, to_values(h0), to_values(c0));
  const ReferenceGrads expected_grads =
      reference_backward(reference, expected, to_values(grad_y), to_values(grad_h), to_values(grad_c));

  // One step's pre-activation error is at most rounding_bound over the C + H
  // inputs: with |x|, |h| < 1 (mean 0.5) and |w| <= 0.24 (mean 0.12), about
  // 40 x 0.5 x 0.12 x 2u ~ 0.019 if every rounding error had the same sign,
  // ~0.003 when they are independent; sigmoid and tanh shrink it and the
  // recurrence carries part of it on. 0.02 on h and c, against 1e-6 for f32
  // and the 0.2 or more of a wrong layout or gate.
  constexpr double kBf16StateTolerance = 0.02;
  for (bool training : {false, true}) {
    layer.forward(x, {&h0, &c0}, training);
    const std::string what = training ? "bf16 training forward" : "bf16 inference forward";
    check_close(layer.output(), expected.output(), kBf16StateTolerance, what + " output");
    check_close(layer.final_h(), expected.final_h(), kBf16StateTolerance, what + " final h");
    check_close(layer.final_c(), expected.final_c(), kBf16StateTolerance, what + " final c");
    BOOST_TEST(worst_error(to_values(layer.output()), expected.output()) > 1e-4);  // bf16 ran
  }
  // Gradients: products of bf16-rounded gates, weights and activations,
  // summed in f32 over up to T x N terms; each step's error is the same 2u
  // relative as above on sums of O(1) magnitude, carried back through T steps.
  // 0.03, while a missing term or wrong layout costs 0.1 or more.
  constexpr double kBf16GradTolerance = 0.03;
  layer.zero_grad();
  layer.backward(x, {&h0, &c0}, grad_y, {&grad_h, &grad_c});
  check_grads(layer, expected_grads, kBf16GradTolerance, "bf16 backward");
  BOOST_TEST(worst_error(to_values(layer.grad_weights_layer()), expected_grads.weights_layer) > 1e-5);

  // Back to f32 on the same layer: exact again (primitives are keyed by arithmetic).
  context.use_bf16(false);
  layer.forward(x, {&h0, &c0}, true);
  check_forward(layer, expected, "f32 after bf16");
}

BOOST_AUTO_TEST_CASE(bf16_bidirectional_lstm_follows_f32, *ut::precondition(NativeBf16())) {
  const int64_t C = 12, H = 10, T = 5, N = 4;
  LstmLayer layer(context, C, H, LstmDirection::bidirectional_concat);
  randomize_trained_size(layer, rng);
  const Tensor x = random_tensor({T, N, C}, rng);
  context.use_bf16(false);
  layer.forward(x, {}, false);
  const Values output = to_values(layer.output()), final_h = to_values(layer.final_h());
  context.use_bf16(true);
  layer.forward(x, {}, false);
  check_close(layer.output(), output, 0.02, "bf16 bidirectional output");
  check_close(layer.final_h(), final_h, 0.02, "bf16 bidirectional final h");
}

BOOST_AUTO_TEST_SUITE_END()
