// A bidirectional LstmLayer (oneDNN bidirectional_concat, f32) against two
// reference LSTMs, one on x and one on x reversed in time, and against
// central finite differences of a scalar loss through them.

#include <boost/test/unit_test.hpp>

#include "nmt/core/dnn_context.h"
#include "nmt/core/error.h"
#include "nmt/layers/lstm_layer.h"
#include "test_util.h"

using namespace nmt;
using namespace nmt::testing;
using nmt::layers::LstmDirection;
using nmt::layers::LstmLayer;
using nmt::layers::LstmState;

namespace {

constexpr int64_t kHidden = 6;

// Inputs, initial states [2, N, H], and the weights R of the loss
// sum(y * R_y) + sum(h_T * R_h) + sum(c_T * R_c) over both directions.
struct Problem {
  int64_t steps, batch;
  Tensor x, initial_h, initial_c;
  Tensor loss_y, loss_h, loss_c;
};

Problem random_problem(const LstmLayer& layer, int64_t steps, int64_t batch, Rng& rng) {
  const Shape state = layer.state_shape(batch);
  return Problem{steps,
                 batch,
                 random_tensor({steps, batch, layer.input_size()}, rng),
                 random_tensor(state, rng),
                 random_tensor(state, rng),
                 random_tensor({steps, batch, layer.output_size()}, rng),
                 random_tensor(state, rng),
                 random_tensor(state, rng)};
}

LstmLayer random_layer(DnnContext& context, int64_t input_size, Rng& rng) {
  LstmLayer layer(context, input_size, kHidden, LstmDirection::bidirectional_concat);
  randomize(layer, rng);
  return layer;
}

LstmState initial_of(const Problem& p, bool with_initial_state) {
  return with_initial_state ? LstmState{&p.initial_h, &p.initial_c} : LstmState{};
}

ReferenceBidirectionalTrace reference_run(const ReferenceBidirectional& lstm, const Problem& p,
                                          bool with_initial_state) {
  return reference_bidirectional_forward(
      lstm, to_values(p.x), p.steps, p.batch,
      with_initial_state ? to_values(p.initial_h) : Values{},
      with_initial_state ? to_values(p.initial_c) : Values{});
}

ReferenceGrads reference_grads(const ReferenceBidirectional& lstm, const Problem& p,
                               bool with_initial_state) {
  return reference_bidirectional_backward(lstm, reference_run(lstm, p, with_initial_state),
                                          to_values(p.loss_y), to_values(p.loss_h),
                                          to_values(p.loss_c));
}

void check_training_step(LstmLayer& layer, const Problem& p, bool with_initial_state,
                         const std::string& what) {
  const ReferenceBidirectional lstm = reference_bidirectional_of(layer);
  layer.forward(p.x, initial_of(p, with_initial_state), true);
  check_forward(layer, reference_run(lstm, p, with_initial_state), what);
  layer.zero_grad();
  layer.backward(p.x, initial_of(p, with_initial_state), p.loss_y, {&p.loss_h, &p.loss_c});
  check_grads(layer, reference_grads(lstm, p, with_initial_state), kGradTolerance, what);
}

// Every gradient the layer computes, by finite differences through the
// reference, in the layer's layout (direction 0's parameters, then 1's).
ReferenceGrads finite_difference_grads(ReferenceBidirectional lstm, const Problem& p) {
  Values x = to_values(p.x), h0 = to_values(p.initial_h), c0 = to_values(p.initial_c);
  const Values r_y = to_values(p.loss_y), r_h = to_values(p.loss_h), r_c = to_values(p.loss_c);
  auto loss = [&] {
    const ReferenceBidirectionalTrace t =
        reference_bidirectional_forward(lstm, x, p.steps, p.batch, h0, c0);
    return dot(t.output(), r_y) + dot(t.final_h(), r_h) + dot(t.final_c(), r_c);
  };
  auto both = [&](Values& forward, Values& backward) {
    Values grad = finite_difference(loss, forward, kFiniteDifferenceStep);
    const Values second = finite_difference(loss, backward, kFiniteDifferenceStep);
    grad.insert(grad.end(), second.begin(), second.end());
    return grad;
  };
  ReferenceGrads grads;
  grads.weights_layer = both(lstm.forward.weights_layer, lstm.backward.weights_layer);
  grads.weights_iter = both(lstm.forward.weights_iter, lstm.backward.weights_iter);
  grads.bias = both(lstm.forward.bias, lstm.backward.bias);
  grads.x = finite_difference(loss, x, kFiniteDifferenceStep);
  grads.initial_h = finite_difference(loss, h0, kFiniteDifferenceStep);
  grads.initial_c = finite_difference(loss, c0, kFiniteDifferenceStep);
  return grads;
}

struct Fixture {
  DnnContext context;
  Rng rng{20240917};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lstm_bidirectional, Fixture)

BOOST_AUTO_TEST_CASE(shapes_carry_a_direction_axis) {
  LstmLayer layer = random_layer(context, 4, rng);
  BOOST_TEST(layer.directions() == 2);
  BOOST_TEST(layer.output_size() == 2 * kHidden);
  BOOST_TEST(layer.weights_layer().shape() == (Shape{2, 4, 4, kHidden}));
  BOOST_TEST(layer.weights_iter().shape() == (Shape{2, kHidden, 4, kHidden}));
  BOOST_TEST(layer.bias().shape() == (Shape{2, 4, kHidden}));
  BOOST_TEST(layer.state_shape(3) == (Shape{2, 3, kHidden}));
  const LstmLayer unidirectional(context, 4, kHidden);
  BOOST_TEST(unidirectional.weights_layer().shape() == (Shape{4, 4, kHidden}));
  BOOST_TEST(unidirectional.state_shape(3) == (Shape{3, kHidden}));
}

BOOST_AUTO_TEST_CASE(forward_matches_reference_on_x_and_x_reversed) {
  for (const int64_t input_size : {4, 6, 12}) {  // C < H, C == H, C == 2H (an upper layer's width)
    LstmLayer layer = random_layer(context, input_size, rng);
    const Problem p = random_problem(layer, 5, 3, rng);
    const ReferenceBidirectional lstm = reference_bidirectional_of(layer);
    for (const bool training : {false, true}) {
      for (const bool with_initial_state : {true, false}) {
        const std::string what = "C=" + std::to_string(input_size) +
                                 (training ? " training" : " inference") +
                                 (with_initial_state ? " given h0,c0" : " zero h0,c0");
        layer.forward(p.x, initial_of(p, with_initial_state), training);
        check_forward(layer, reference_run(lstm, p, with_initial_state), what);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(directions_are_distinct_and_the_backward_one_reads_x_reversed) {
  // Both directions given the same weights: on x the backward half of the
  // output is then the forward half of x reversed in time, step for step,
  // and the two halves differ (x is not a palindrome).
  LstmLayer layer = random_layer(context, 4, rng);
  for (Tensor* w : {&layer.weights_layer(), &layer.weights_iter(), &layer.bias()}) {
    const int64_t half = w->size() / 2;
    std::copy_n(w->data(), half, w->data() + half);
  }
  layer.weights_changed();
  const Problem p = random_problem(layer, 5, 3, rng);
  layer.forward(p.x, {}, false);
  const Values on_x = to_values(layer.output());
  Tensor reversed({p.steps, p.batch, layer.input_size()});
  const Values x_reversed = reverse_time(to_values(p.x), p.steps);
  std::copy(x_reversed.begin(), x_reversed.end(), reversed.data());
  layer.forward(reversed, {}, false);
  const Values on_reversed = to_values(layer.output());

  Values forward_on_x, backward_on_x, forward_on_reversed;
  for (int64_t row = 0; row < p.steps * p.batch; ++row) {
    const auto at = [&](const Values& v, int d) { return v.begin() + (2 * row + d) * kHidden; };
    forward_on_x.insert(forward_on_x.end(), at(on_x, 0), at(on_x, 0) + kHidden);
    backward_on_x.insert(backward_on_x.end(), at(on_x, 1), at(on_x, 1) + kHidden);
    forward_on_reversed.insert(forward_on_reversed.end(), at(on_reversed, 0), at(on_reversed, 0) + kHidden);
  }
  check_close(backward_on_x, reverse_time(forward_on_reversed, p.steps), kStateTolerance,
              "backward half on x = forward half on x reversed");
  BOOST_TEST(worst_error(backward_on_x, forward_on_x) > 1e-2);
}

BOOST_AUTO_TEST_CASE(reference_backward_matches_finite_differences) {
  LstmLayer layer = random_layer(context, 4, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  const ReferenceBidirectional lstm = reference_bidirectional_of(layer);
  check_reference_grads(reference_grads(lstm, p, true), finite_difference_grads(lstm, p),
                        kReferenceVsFiniteDifference, "reference vs finite differences");
}

BOOST_AUTO_TEST_CASE(backward_matches_reference_and_finite_differences) {
  for (const int64_t input_size : {4, 12}) {
    LstmLayer layer = random_layer(context, input_size, rng);
    const Problem p = random_problem(layer, 5, 3, rng);
    const std::string what = "C=" + std::to_string(input_size);
    check_training_step(layer, p, true, what + " vs reference");
    check_grads(layer, finite_difference_grads(reference_bidirectional_of(layer), p),
                kGradVsFiniteDifference, what + " vs finite differences");
  }
}

BOOST_AUTO_TEST_CASE(backward_without_initial_state_or_final_gradient) {
  LstmLayer layer = random_layer(context, 4, rng);
  Problem p = random_problem(layer, 5, 3, rng);
  check_training_step(layer, p, false, "zero h0,c0");

  const ReferenceBidirectional lstm = reference_bidirectional_of(layer);
  layer.forward(p.x, {}, true);
  layer.zero_grad();
  layer.backward(p.x, {}, p.loss_y, {});
  p.loss_h.zero();
  p.loss_c.zero();
  check_grads(layer, reference_grads(lstm, p, false), kGradTolerance, "no final gradient");
}

BOOST_AUTO_TEST_CASE(accumulates_and_sees_changed_weights_in_every_shape) {
  LstmLayer layer = random_layer(context, 4, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  const ReferenceGrads once = reference_grads(reference_bidirectional_of(layer), p, true);
  layer.forward(p.x, initial_of(p, true), true);
  layer.zero_grad();
  layer.backward(p.x, initial_of(p, true), p.loss_y, {&p.loss_h, &p.loss_c});
  layer.backward(p.x, initial_of(p, true), p.loss_y, {&p.loss_h, &p.loss_c});
  check_close(layer.grad_weights_layer(), scaled(once.weights_layer, 2.0), kGradTolerance,
              "2x dW_layer");
  check_close(layer.grad_bias(), scaled(once.bias, 2.0), kGradTolerance, "2x db");
  check_close(layer.grad_input(), once.x, kGradTolerance, "dx after two calls");

  for (Tensor* w : {&layer.weights_layer(), &layer.weights_iter(), &layer.bias()}) {
    for (int64_t i = 0; i < w->size(); ++i) (*w)[i] = -0.9f * (*w)[i] + 0.05f;
  }
  layer.weights_changed();
  const std::pair<int64_t, int64_t> shapes[] = {{5, 3}, {2, 4}, {1, 3}, {5, 3}};
  for (const auto& [steps, batch] : shapes) {
    const Problem q = random_problem(layer, steps, batch, rng);
    const std::string what = "T=" + std::to_string(steps) + " N=" + std::to_string(batch);
    layer.forward(q.x, initial_of(q, true), false);
    check_forward(layer, reference_run(reference_bidirectional_of(layer), q, true),
                  what + " inference");
    check_training_step(layer, q, true, what);
  }
}

BOOST_AUTO_TEST_CASE(rejects_states_without_the_direction_axis) {
  LstmLayer layer = random_layer(context, 4, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  Tensor one_direction({3, kHidden});
  BOOST_CHECK_THROW(layer.forward(p.x, {&one_direction, nullptr}, true), Error);
  layer.forward(p.x, {}, true);
  Tensor narrow_output({5, 3, kHidden});
  BOOST_CHECK_THROW(layer.backward(p.x, {}, narrow_output, {}), Error);
  BOOST_CHECK_THROW(layer.backward(p.x, {}, p.loss_y, {&one_direction, nullptr}), Error);
}

BOOST_AUTO_TEST_SUITE_END()
