#include <boost/test/unit_test.hpp>

#include <random>

#include "nmt/layers/linear.h"

namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(linear_forward_and_gradients_match_plain_loops) {
  nmt::DnnContext context;
  const int rows = 5, in = 4, out = 3;
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

  // f32 sums of at most 5 terms of magnitude <= 1: 1e-5 relative is ample.
  for (int r = 0; r < rows; ++r) {
    for (int o = 0; o < out; ++o) {
      double expected = layer.bias()[o];
      for (int i = 0; i < in; ++i) expected += double(x[r * in + i]) * layer.weights()[o * in + i];
      BOOST_TEST(y[r * out + o] == expected, tt::tolerance(1e-5));
    }
    for (int i = 0; i < in; ++i) {
      double expected = 0;
      for (int o = 0; o < out; ++o) expected += double(dy[r * out + o]) * layer.weights()[o * in + i];
      BOOST_TEST(dx[r * in + i] == expected, tt::tolerance(1e-5));
    }
  }
  for (int o = 0; o < out; ++o) {
    double bias_grad = 0;
    for (int r = 0; r < rows; ++r) bias_grad += dy[r * out + o];
    BOOST_TEST(layer.bias_gradient()[o] == 2 * bias_grad, tt::tolerance(1e-5));
    for (int i = 0; i < in; ++i) {
      double expected = 0;
      for (int r = 0; r < rows; ++r) expected += double(dy[r * out + o]) * x[r * in + i];
      BOOST_TEST(layer.weight_gradient()[o * in + i] == 2 * expected, tt::tolerance(1e-5));
    }
  }
}
