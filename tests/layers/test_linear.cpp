#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

#include "nmt/layers/linear.h"

namespace {

// |got - expected| within 1e-5 of the sum of the terms' magnitudes: f32 sums
// of at most a few dozen terms round far below that, while a wrong or
// transposed index moves a value by the size of its terms.
void check_sum(double got, double expected, double magnitude) {
  BOOST_TEST(std::abs(got - expected) <= 1e-5 * magnitude + 1e-7, got << " != " << expected);
}

// Forward, dx and the accumulated weight and bias gradients against plain loops.
void check_against_loops(int rows, int in, int out) {
  BOOST_TEST_CONTEXT("rows " << rows << " in " << in << " out " << out) {
    nmt::DnnContext context;
    nmt::layers::Linear layer(context, in, out);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> uniform(-1, 1);
    std::vector<float> x(rows * in), dy(rows * out), y(rows * out), dx(rows * in);
    for (auto& v : x) v = uniform(rng);
    for (auto& v : dy) v = uniform(rng);
    for (int i = 0; i < in * out; ++i) layer.weights()[i] = uniform(rng);
    for (auto& v : layer.bias()) v = uniform(rng);

    layer.forward(x.data(), rows, y.data());
    layer.backward(x.data(), dy.data(), rows, dx.data());
    layer.backward(x.data(), dy.data(), rows, nullptr);  // gradients accumulate: twice the sum

    for (int r = 0; r < rows; ++r) {
      for (int o = 0; o < out; ++o) {
        double expected = layer.bias()[o], magnitude = std::abs(layer.bias()[o]);
        for (int i = 0; i < in; ++i) {
          expected += double(x[r * in + i]) * layer.weights()[o * in + i];
          magnitude += std::abs(double(x[r * in + i]) * layer.weights()[o * in + i]);
        }
        check_sum(y[r * out + o], expected, magnitude);
      }
      for (int i = 0; i < in; ++i) {
        double expected = 0, magnitude = 0;
        for (int o = 0; o < out; ++o) {
          expected += double(dy[r * out + o]) * layer.weights()[o * in + i];
          magnitude += std::abs(double(dy[r * out + o]) * layer.weights()[o * in + i]);
        }
        check_sum(dx[r * in + i], expected, magnitude);
      }
    }
    for (int o = 0; o < out; ++o) {
      double bias_grad = 0, bias_magnitude = 0;
      for (int r = 0; r < rows; ++r) {
        bias_grad += dy[r * out + o];
        bias_magnitude += std::abs(dy[r * out + o]);
      }
      check_sum(layer.bias_gradient()[o], 2 * bias_grad, 2 * bias_magnitude);
      for (int i = 0; i < in; ++i) {
        double expected = 0, magnitude = 0;
        for (int r = 0; r < rows; ++r) {
          expected += double(dy[r * out + o]) * x[r * in + i];
          magnitude += std::abs(double(dy[r * out + o]) * x[r * in + i]);
        }
        check_sum(layer.weight_gradient()[o * in + i], 2 * expected, 2 * magnitude);
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(linear_forward_and_gradients_match_plain_loops) {
  check_against_loops(5, 4, 3);
  // Wider than tall and taller than wide: the f32 weight gradient is made
  // transposed and added back by a reorder whose kernel works in blocks.
  check_against_loops(37, 24, 70);
  check_against_loops(19, 65, 33);
}
