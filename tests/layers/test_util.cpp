#include "test_util.h"

#include <algorithm>
#include <cmath>

#include <boost/test/unit_test.hpp>

namespace nmt::testing {

void fill_uniform(Tensor& tensor, Rng& rng, float bound) {
  for (int64_t i = 0; i < tensor.size(); ++i) tensor[i] = rng.uniform(-bound, bound);
}

Tensor random_tensor(const Shape& shape, Rng& rng, float bound) {
  Tensor tensor(shape);
  fill_uniform(tensor, rng, bound);
  return tensor;
}

Values to_values(const Tensor& tensor) { return Values(tensor.data(), tensor.data() + tensor.size()); }

Values scaled(const Values& values, double factor) {
  Values result(values);
  for (double& v : result) v *= factor;
  return result;
}

double dot(const Values& a, const Values& b) {
  BOOST_REQUIRE_EQUAL(a.size(), b.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

ReferenceLstm reference_of(const layers::LstmLayer& layer) {
  ReferenceLstm lstm;
  lstm.input_size = layer.input_size();
  lstm.hidden_size = layer.hidden_size();
  lstm.weights_layer = to_values(layer.weights_layer());
  lstm.weights_iter = to_values(layer.weights_iter());
  lstm.bias = to_values(layer.bias());
  return lstm;
}

double worst_error(const Values& actual, const Values& expected) {
  BOOST_REQUIRE_EQUAL(actual.size(), expected.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    worst = std::max(worst, std::abs(actual[i] - expected[i]) / std::max(1.0, std::abs(expected[i])));
  }
  return worst;
}

void check_close(const Values& actual, const Values& expected, double tolerance,
                 const std::string& what) {
  const double worst = worst_error(actual, expected);
  BOOST_TEST(worst <= tolerance, what << ": worst error " << worst << " > " << tolerance);
  BOOST_TEST_MESSAGE(what << ": worst error " << worst);
}

void check_close(const Tensor& actual, const Values& expected, double tolerance,
                 const std::string& what) {
  check_close(to_values(actual), expected, tolerance, what);
}

Values finite_difference(const std::function<double()>& loss, Values& parameter, double step) {
  Values gradient(parameter.size());
  for (std::size_t i = 0; i < parameter.size(); ++i) {
    const double saved = parameter[i];
    parameter[i] = saved + step;
    const double up = loss();
    parameter[i] = saved - step;
    const double down = loss();
    parameter[i] = saved;
    gradient[i] = (up - down) / (2.0 * step);
  }
  return gradient;
}

}  // namespace nmt::testing
