#include "test_util.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>

namespace nmt::testing {

using layers::LstmLayer;

void fill_uniform(Tensor& tensor, Rng& rng, float bound) {
  for (int64_t i = 0; i < tensor.size(); ++i) tensor[i] = rng.uniform(-bound, bound);
}

Tensor random_tensor(const Shape& shape, Rng& rng, float bound) {
  Tensor tensor(shape);
  fill_uniform(tensor, rng, bound);
  return tensor;
}

Values to_values(const Tensor& tensor) {
  return Values(tensor.data(), tensor.data() + tensor.size());
}

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

void randomize(LstmLayer& layer, Rng& rng) {
  // Wider than the default initialization so that gates reach their nonlinear range.
  fill_uniform(layer.weights_layer(), rng, 0.8f);
  fill_uniform(layer.weights_iter(), rng, 0.8f);
  fill_uniform(layer.bias(), rng, 0.8f);
  layer.weights_changed();
}

void randomize_trained_size(LstmLayer& layer, Rng& rng) {
  randomize(layer, rng);
  for (Tensor* w : {&layer.weights_layer(), &layer.weights_iter()})
    for (int64_t i = 0; i < w->size(); ++i) (*w)[i] *= 0.3f;
  layer.weights_changed();
}

namespace {

// Direction d of a parameter with a leading direction axis.
Values direction_part(const Tensor& parameter, int64_t directions, int64_t d) {
  const int64_t part = parameter.size() / directions;
  return Values(parameter.data() + d * part, parameter.data() + (d + 1) * part);
}

ReferenceLstm reference_direction(const LstmLayer& layer, int64_t d) {
  ReferenceLstm lstm;
  lstm.input_size = layer.input_size();
  lstm.hidden_size = layer.hidden_size();
  lstm.weights_layer = direction_part(layer.weights_layer(), layer.directions(), d);
  lstm.weights_iter = direction_part(layer.weights_iter(), layer.directions(), d);
  lstm.bias = direction_part(layer.bias(), layer.directions(), d);
  return lstm;
}

void check_states(const LstmLayer& layer, const Values& output, const Values& final_h,
                  const Values& final_c, const std::string& what) {
  check_close(layer.output(), output, kStateTolerance, what + " y");
  check_close(layer.final_h(), final_h, kStateTolerance, what + " h_T");
  check_close(layer.final_c(), final_c, kStateTolerance, what + " c_T");
}

}  // namespace

ReferenceLstm reference_of(const LstmLayer& layer) {
  BOOST_REQUIRE_EQUAL(layer.directions(), 1);
  return reference_direction(layer, 0);
}

ReferenceBidirectional reference_bidirectional_of(const LstmLayer& layer) {
  BOOST_REQUIRE_EQUAL(layer.directions(), 2);
  return {reference_direction(layer, 0), reference_direction(layer, 1)};
}

double worst_error(const Values& actual, const Values& expected) {
  BOOST_REQUIRE_EQUAL(actual.size(), expected.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    worst =
        std::max(worst, std::abs(actual[i] - expected[i]) / std::max(1.0, std::abs(expected[i])));
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

void check_forward(const LstmLayer& layer, const ReferenceTrace& expected,
                   const std::string& what) {
  check_states(layer, expected.output(), expected.final_h(), expected.final_c(), what);
}

void check_forward(const LstmLayer& layer, const ReferenceBidirectionalTrace& expected,
                   const std::string& what) {
  check_states(layer, expected.output(), expected.final_h(), expected.final_c(), what);
}

void check_grads(const LstmLayer& layer, const ReferenceGrads& expected, double tolerance,
                 const std::string& what) {
  check_close(layer.grad_weights_layer(), expected.weights_layer, tolerance, what + " dW_layer");
  check_close(layer.grad_weights_iter(), expected.weights_iter, tolerance, what + " dW_iter");
  check_close(layer.grad_bias(), expected.bias, tolerance, what + " db");
  check_close(layer.grad_input(), expected.x, tolerance, what + " dx");
  check_close(layer.grad_initial_h(), expected.initial_h, tolerance, what + " dh0");
  check_close(layer.grad_initial_c(), expected.initial_c, tolerance, what + " dc0");
}

void check_reference_grads(const ReferenceGrads& actual, const ReferenceGrads& expected,
                           double tolerance, const std::string& what) {
  check_close(actual.weights_layer, expected.weights_layer, tolerance, what + " dW_layer");
  check_close(actual.weights_iter, expected.weights_iter, tolerance, what + " dW_iter");
  check_close(actual.bias, expected.bias, tolerance, what + " db");
  check_close(actual.x, expected.x, tolerance, what + " dx");
  check_close(actual.initial_h, expected.initial_h, tolerance, what + " dh0");
  check_close(actual.initial_c, expected.initial_c, tolerance, what + " dc0");
}

}  // namespace nmt::testing
