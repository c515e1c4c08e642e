// int8 inference layers (QuantizedLinear, LstmLayer::quantize_for_inference)
// against double-precision plain loops, within error bounds derived from the
// quantization steps (layers/int8.h), not fitted to observed errors.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "nmt/core/dnn_context.h"
#include "nmt/core/error.h"
#include "nmt/core/reordered_weights.h"
#include "nmt/layers/attention.h"
#include "nmt/layers/int8.h"
#include "nmt/layers/linear.h"
#include "nmt/layers/quantized_linear.h"
#include "test_util.h"

using namespace nmt;
using namespace nmt::testing;
using nmt::layers::LstmDirection;
using nmt::layers::LstmLayer;
using nmt::layers::QuantizedLinear;
namespace tt = boost::test_tools;

namespace {

struct Fixture {
  DnnContext context;
  Rng rng{20261201};
};

// The worst |error| of one output of x W^T from rounding: each weight moves by
// at most half its step m / L (m: the output's largest |w|, L the weight limit),
// each input by half of bound / 127, so |error| <= sum_k |x_k| m / 2L +
// (|w_k| + m / 2L) bound / 254.
double quantization_bound(const float* x, const float* w, int in, float bound) {
  float m = 0;
  for (int k = 0; k < in; ++k) m = std::max(m, std::fabs(w[k]));
  const double weight_step = m / (2.0 * layers::int8::weight_limit());
  const double input_step = bound / (2.0 * layers::int8::kInputLevels);
  double worst = 0;
  for (int k = 0; k < in; ++k) worst += std::fabs(x[k]) * weight_step + (std::fabs(w[k]) + weight_step) * input_step;
  return worst;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(int8_layers, Fixture)

BOOST_AUTO_TEST_CASE(quantized_linear_is_within_its_rounding_bound) {
  const int rows = 37, in = 96, out = 300;
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::mt19937 gen(7);
  std::vector<float> weights(static_cast<std::size_t>(in) * out), bias(out), x(static_cast<std::size_t>(rows) * in);
  // Rows of different magnitudes (each output has its own scale) and one all-zero row.
  for (int o = 0; o < out; ++o)
    for (int k = 0; k < in; ++k) weights[o * in + k] = o == 5 ? 0.0f : uniform(gen) * (0.05f + 0.01f * (o % 50));
  for (auto& b : bias) b = uniform(gen);
  for (float bound : {1.0f, 3.0f}) {
    for (auto& v : x) v = uniform(gen) * bound;
    QuantizedLinear layer(context, weights.data(), bias.data(), in, out, bound);
    std::vector<float> y(static_cast<std::size_t>(rows) * out);
    layer.forward(x.data(), rows, y.data());
    double worst_ratio = 0, sum_error = 0, sum_bound = 0;
    for (int r = 0; r < rows; ++r)
      for (int o = 0; o < out; ++o) {
        double exact = bias[o];
        for (int k = 0; k < in; ++k) exact += double(x[r * in + k]) * weights[o * in + k];
        const double error = std::fabs(y[r * out + o] - exact);
        // + f32 rounding of the sums and scales: 1e-5 of the output's size.
        const double bound_here = quantization_bound(&x[r * in], &weights[o * in], in, bound) + 1e-5 * (1 + std::fabs(exact));
        worst_ratio = std::max(worst_ratio, error / bound_here);
        sum_error += error;
        sum_bound += bound_here;
      }
    BOOST_TEST(worst_ratio <= 1.0, "input bound " << bound << ": error reaches " << worst_ratio << " of the bound");
    // Rounding errors are independent, so they mostly cancel: a quantizer off
    // by one step everywhere (a wrong zero point or scale) sits near the bound.
    BOOST_TEST(sum_error < 0.2 * sum_bound, "input bound " << bound << ": mean error " << sum_error / sum_bound
                                                           << " of the bound");
    BOOST_TEST_MESSAGE("input bound " << bound << ": worst " << worst_ratio << ", mean " << sum_error / sum_bound
                                      << " of the rounding bound");
  }
}

BOOST_AUTO_TEST_CASE(quantized_linear_clamps_inputs_beyond_its_bound_and_reuses_primitives) {
  const int in = 4, out = 3;
  const std::vector<float> weights{1, 0, 0, 0, 0, 1, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f};
  QuantizedLinear layer(context, weights.data(), nullptr, in, out, 1.0f);
  const std::vector<float> x{5.0f, -7.0f, 0.25f, 0.0f};
  std::vector<float> y(out);
  layer.forward(x.data(), 1, y.data());
  // Codes run from 0 to 255 around 128: -128/127 .. 1 of the bound.
  BOOST_TEST(y[0] == 1.0f, tt::tolerance(1e-6f));
  BOOST_TEST(y[1] == -128.0f / 127.0f, tt::tolerance(1e-6f));
  BOOST_TEST(std::fabs(y[2] - 0.125f) < 0.01f);  // (1 - 1 + 0.25) / 2 with rounding
  for (int rows : {1, 2, 1, 2, 1}) {
    std::vector<float> xs(static_cast<std::size_t>(rows) * in, 0.5f), ys(static_cast<std::size_t>(rows) * out);
    layer.forward(xs.data(), rows, ys.data());
  }
  BOOST_TEST(layer.primitives_created() == 2u);
  BOOST_CHECK_THROW(QuantizedLinear(context, weights.data(), nullptr, in, out, 0.0f), Error);
}

BOOST_AUTO_TEST_CASE(a_layer_taking_outputs_of_another_computes_them_exactly) {
  // A shortlist's projection takes the full projection's quantized outputs:
  // each taken column equals the full layer's, bit for bit, the fillers give
  // exactly the filler bias, and taking other outputs keeps the primitives
  // (the scales reach them at run time) yet changes the results.
  const int in = 16, out = 40, rows = 3, width = 8;
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> weights(static_cast<std::size_t>(in) * out), bias(out), x(static_cast<std::size_t>(rows) * in);
  for (auto* values : {&weights, &bias, &x})
    for (auto& v : *values) v = uniform(gen);
  for (int o = 0; o < out; ++o) weights[static_cast<std::size_t>(o) * in] *= 1.0f + static_cast<float>(o);  // scales differ
  QuantizedLinear full(context, weights.data(), bias.data(), in, out, 1.0f);
  std::vector<float> y_full(static_cast<std::size_t>(rows) * out), y(static_cast<std::size_t>(rows) * width);
  full.forward(x.data(), rows, y_full.data());
  QuantizedLinear taken(context, in, width, 1.0f);
  for (const std::vector<int>& outputs : {std::vector<int>{3, 7, 39, 0, 12}, std::vector<int>{38, 1, 20, 5, 6, 30}}) {
    taken.take_outputs(full, outputs, -1e30f);
    taken.forward(x.data(), rows, y.data());
    for (int r = 0; r < rows; ++r)
      for (int k = 0; k < width; ++k) {
        const float expected = k < static_cast<int>(outputs.size()) ? y_full[r * out + outputs[k]] : -1e30f;
        BOOST_TEST(y[r * width + k] == expected, "row " << r << " column " << k);
      }
  }
  BOOST_TEST(taken.primitives_created() == 1u);
  BOOST_CHECK_THROW(taken.take_outputs(full, std::vector<int>(width + 1, 0), 0.0f), Error);
  BOOST_CHECK_THROW(taken.take_outputs(full, {out}, 0.0f), Error);
}

BOOST_AUTO_TEST_CASE(int8_attention_step_follows_f32_within_the_rounding_bound) {
  // W_c's input [context; h] lies in (-1, 1), so with x = 1 everywhere the
  // rounding bound covers any input; tanh (slope <= 1) does not enlarge it.
  const int64_t sentences = 3, S = 4, H = 8;
  for (const auto type : {layers::AttentionType::dot, layers::AttentionType::general}) {
    layers::LuongAttention attention(context, type, H, H);
    attention.initialize(11);
    const Tensor source = random_tensor({S, sentences, H}, rng);
    const Tensor states = random_tensor({5, H}, rng);
    const std::vector<int> lengths{4, 2, 3}, rows{0, 2, 1, 1, 0};
    const auto attended = attention.make_source(source, lengths);
    Tensor weights, f32_output, int8_output;
    attention.step(states, attended, rows, weights, f32_output);
    attention.quantize_for_inference();
    attention.step(states, attended, rows, weights, int8_output);
    const int in = static_cast<int>(2 * H);
    const std::vector<float> ones(static_cast<std::size_t>(in), 1.0f);
    // The worst |int8 - sign x f32| over the outputs, in rounding bounds.
    const auto worst_ratio = [&](float sign) {
      double worst = 0;
      for (int64_t r = 0; r < 5; ++r)
        for (int64_t o = 0; o < H; ++o) {
          const double bound =
              quantization_bound(ones.data(), attention.combine().weights() + o * in, in, 1.0f) + 1e-6;
          worst = std::max(worst, std::fabs(int8_output[r * H + o] - sign * f32_output[r * H + o]) / bound);
        }
      return worst;
    };
    BOOST_TEST(worst_ratio(1.0f) <= 1.0);
    BOOST_TEST(worst_ratio(1.0f) > 0.0);  // the int8 path ran
    // weights_changed() quantizes the new W_c: negated, it negates the output.
    for (int64_t i = 0; i < in * H; ++i) attention.combine().weights()[i] *= -1.0f;
    attention.weights_changed();
    attention.step(states, attended, rows, weights, int8_output);
    BOOST_TEST(worst_ratio(-1.0f) <= 1.0);
  }
}

BOOST_AUTO_TEST_CASE(int8_lstm_follows_the_reference) {
  // An input bound other than 1 exercises the input division and the matching
  // scaling of weights_layer.
  const int64_t C = 24, H = 16, T = 6, N = 3;
  const float input_bound = 2.5f;
  LstmLayer layer(context, C, H);
  randomize_trained_size(layer, rng);
  const Tensor x = random_tensor({T, N, C}, rng, input_bound);
  const Tensor h0 = random_tensor({N, H}, rng), c0 = random_tensor({N, H}, rng);
  const ReferenceTrace expected =
      reference_forward(reference_of(layer), to_values(x), T, N, to_values(h0), to_values(c0));

  layer.quantize_for_inference(input_bound);
  layer.forward(x, {&h0, &c0}, false);
  // One step's pre-activation error is at most quantization_bound over the
  // C + H inputs: with |x| <= 2.5, |h| < 1 and |w| <= 0.24 that is about
  // 24 x 2.5 x 0.24/126 + 16 x 0.24/126 + 40 x 0.24 x 2.5/254 ~ 0.24 in the
  // worst case, each rounding error independent, so about 0.24 / sqrt(40) ~
  // 0.04 in practice; sigmoid and tanh shrink it (slopes <= 1/4 and 1), and
  // the recurrence carries part of it on. 0.05 on h and c, while a wrong
  // layout, scale or zero point moves states by 0.2 or more (the check below).
  constexpr double kInt8StateTolerance = 0.05;
  check_close(layer.output(), expected.output(), kInt8StateTolerance, "int8 output");
  check_close(layer.final_h(), expected.final_h(), kInt8StateTolerance, "int8 final h");
  check_close(layer.final_c(), expected.final_c(), kInt8StateTolerance, "int8 final c");

  // The test notices a quantizer that ignores the input's range: over [-1, 1]
  // these inputs clamp.
  layer.quantize_for_inference(1.0f);
  layer.forward(x, {&h0, &c0}, false);
  BOOST_TEST(worst_error(to_values(layer.output()), expected.output()) > 2 * kInt8StateTolerance);

  // Training forwards stay f32, exact to the reference.
  layer.quantize_for_inference(input_bound);
  layer.forward(x, {&h0, &c0}, true);
  check_forward(layer, expected, "f32 training forward of a quantized layer");

  // weights_changed() quantizes the new weights.
  for (int64_t i = 0; i < layer.bias().size(); ++i) layer.bias()[i] += 0.5f;
  layer.weights_changed();
  const ReferenceTrace changed =
      reference_forward(reference_of(layer), to_values(x), T, N, to_values(h0), to_values(c0));
  layer.forward(x, {&h0, &c0}, false);
  check_close(layer.output(), changed.output(), kInt8StateTolerance, "int8 output after weights_changed");
  BOOST_CHECK_THROW(layer.quantize_for_inference(0.0f), Error);
}

BOOST_AUTO_TEST_CASE(int8_lstm_holds_a_bounded_set_of_packed_weights) {
  // int8 primitives pack their weights per batch size, so a long translation
  // asks for ever new layouts: the layer keeps only the latest few, and one
  // made again after its eviction computes what it did before.
  const int64_t C = 8, H = 8;
  LstmLayer layer(context, C, H);
  randomize_trained_size(layer, rng);
  layer.quantize_for_inference(1.0f);
  const Tensor x = random_tensor({2, 1, C}, rng);
  layer.forward(x, {}, false);
  const Values first = to_values(layer.output());
  const auto batch_sizes = static_cast<int64_t>(ReorderedWeights::kMaxCopies) + 8;
  for (int64_t n = 2; n <= batch_sizes; ++n) layer.forward(random_tensor({2, n, C}, rng), {}, false);
  BOOST_TEST(layer.int8_weight_copies() == ReorderedWeights::kMaxCopies);
  const std::uint64_t reorders = layer.int8_weight_reorders();
  BOOST_TEST(reorders == static_cast<std::uint64_t>(batch_sizes));  // one per batch size, none per call
  layer.forward(x, {}, false);  // batch size 1 was evicted
  BOOST_TEST(layer.int8_weight_reorders() == reorders + 1);
  BOOST_TEST(to_values(layer.output()) == first);
  layer.forward(x, {}, false);
  BOOST_TEST(layer.int8_weight_reorders() == reorders + 1);

  // A wide layer's copies (4 MiB of s8 each here) are held to kMaxCopyBytes.
  const int64_t wide = 1024;
  LstmLayer big(context, wide, wide);
  big.quantize_for_inference(1.0f);
  for (int64_t n = 1; n <= 20; ++n) big.forward(random_tensor({1, n, wide}, rng), {}, false);
  const std::size_t copy_bytes = static_cast<std::size_t>(wide * 4 * wide);
  BOOST_TEST(big.int8_weight_copies() >= 1u);
  BOOST_TEST(big.int8_weight_copies() <= ReorderedWeights::kMaxCopyBytes / copy_bytes);
}

BOOST_AUTO_TEST_CASE(int8_bidirectional_lstm_follows_f32) {
  const int64_t C = 12, H = 10, T = 5, N = 4;
  LstmLayer layer(context, C, H, LstmDirection::bidirectional_concat);
  randomize_trained_size(layer, rng);
  const Tensor x = random_tensor({T, N, C}, rng);
  layer.forward(x, {}, false);
  const Values output = to_values(layer.output()), final_h = to_values(layer.final_h());
  layer.quantize_for_inference(1.0f);
  layer.forward(x, {}, false);
  check_close(layer.output(), output, 0.05, "int8 bidirectional output");
  check_close(layer.final_h(), final_h, 0.05, "int8 bidirectional final h");
}

BOOST_AUTO_TEST_SUITE_END()
