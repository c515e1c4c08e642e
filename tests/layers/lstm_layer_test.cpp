// LstmLayer (oneDNN, f32) against the double-precision reference LSTM and
// against central finite differences of a scalar loss through the reference.

#include "nmt/layers/lstm_layer.h"

#include <boost/test/unit_test.hpp>

#include "nmt/core/dnn_context.h"
#include "nmt/core/error.h"
#include "test_util.h"

using namespace nmt;
using namespace nmt::testing;
using nmt::layers::LstmLayer;
using nmt::layers::LstmState;

namespace {

// One LSTM problem: inputs, initial state, and the weights R of the loss
// sum(y * R_y) + sum(h_T * R_h) + sum(c_T * R_c), whose gradient with respect
// to y, h_T and c_T is exactly (R_y, R_h, R_c).
struct Problem {
  int64_t steps, batch;
  Tensor x, initial_h, initial_c;
  Tensor loss_y, loss_h, loss_c;
};

Problem random_problem(const LstmLayer& layer, int64_t steps, int64_t batch, Rng& rng) {
  const int64_t C = layer.input_size(), H = layer.hidden_size();
  return Problem{steps,
                 batch,
                 random_tensor({steps, batch, C}, rng),
                 random_tensor({batch, H}, rng),
                 random_tensor({batch, H}, rng),
                 random_tensor({steps, batch, H}, rng),
                 random_tensor({batch, H}, rng),
                 random_tensor({batch, H}, rng)};
}

LstmLayer random_layer(DnnContext& context, int64_t input_size, int64_t hidden_size, Rng& rng) {
  LstmLayer layer(context, input_size, hidden_size);
  randomize(layer, rng);
  return layer;
}

LstmState initial_of(const Problem& p, bool with_initial_state) {
  return with_initial_state ? LstmState{&p.initial_h, &p.initial_c} : LstmState{};
}

ReferenceTrace reference_run(const ReferenceLstm& lstm, const Problem& p, bool with_initial_state) {
  return reference_forward(lstm, to_values(p.x), p.steps, p.batch,
                           with_initial_state ? to_values(p.initial_h) : Values{},
                           with_initial_state ? to_values(p.initial_c) : Values{});
}

ReferenceGrads reference_grads(const ReferenceLstm& lstm, const Problem& p,
                               bool with_initial_state) {
  const ReferenceTrace trace = reference_run(lstm, p, with_initial_state);
  return reference_backward(lstm, trace, to_values(p.loss_y), to_values(p.loss_h),
                            to_values(p.loss_c));
}

// forward(training) + zero_grad + backward on the layer, compared with the reference.
void check_training_step(LstmLayer& layer, const Problem& p, bool with_initial_state,
                         const std::string& what) {
  const ReferenceLstm lstm = reference_of(layer);
  layer.forward(p.x, initial_of(p, with_initial_state), true);
  check_forward(layer, reference_run(lstm, p, with_initial_state), what);
  layer.zero_grad();
  layer.backward(p.x, initial_of(p, with_initial_state), p.loss_y, {&p.loss_h, &p.loss_c});
  check_grads(layer, reference_grads(lstm, p, with_initial_state), kGradTolerance, what);
}

// Gradients of the problem's loss by finite differences through the reference.
ReferenceGrads finite_difference_grads(ReferenceLstm lstm, const Problem& p) {
  Values x = to_values(p.x), h0 = to_values(p.initial_h), c0 = to_values(p.initial_c);
  const Values r_y = to_values(p.loss_y), r_h = to_values(p.loss_h), r_c = to_values(p.loss_c);
  auto loss = [&] {
    const ReferenceTrace t = reference_forward(lstm, x, p.steps, p.batch, h0, c0);
    return dot(t.output(), r_y) + dot(t.final_h(), r_h) + dot(t.final_c(), r_c);
  };
  ReferenceGrads grads;
  grads.weights_layer = finite_difference(loss, lstm.weights_layer, kFiniteDifferenceStep);
  grads.weights_iter = finite_difference(loss, lstm.weights_iter, kFiniteDifferenceStep);
  grads.bias = finite_difference(loss, lstm.bias, kFiniteDifferenceStep);
  grads.x = finite_difference(loss, x, kFiniteDifferenceStep);
  grads.initial_h = finite_difference(loss, h0, kFiniteDifferenceStep);
  grads.initial_c = finite_difference(loss, c0, kFiniteDifferenceStep);
  return grads;
}

struct Fixture {
  DnnContext context;
  Rng rng{20240601};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lstm_layer, Fixture)

BOOST_AUTO_TEST_CASE(forward_matches_reference) {
  for (const int64_t input_size : {4, 6}) {  // C != H and C == H
    LstmLayer layer = random_layer(context, input_size, 6, rng);
    const Problem p = random_problem(layer, 5, 3, rng);
    const ReferenceLstm lstm = reference_of(layer);
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

BOOST_AUTO_TEST_CASE(reference_backward_matches_finite_differences) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  const ReferenceLstm lstm = reference_of(layer);
  check_reference_grads(reference_grads(lstm, p, true), finite_difference_grads(lstm, p),
                        kReferenceVsFiniteDifference, "reference vs finite differences");
}

BOOST_AUTO_TEST_CASE(backward_matches_reference_and_finite_differences) {
  for (const int64_t input_size : {4, 6}) {
    LstmLayer layer = random_layer(context, input_size, 6, rng);
    const Problem p = random_problem(layer, 5, 3, rng);
    const std::string what = "C=" + std::to_string(input_size);
    check_training_step(layer, p, true, what + " vs reference");
    check_grads(layer, finite_difference_grads(reference_of(layer), p), kGradVsFiniteDifference,
                what + " vs finite differences");
  }
}

BOOST_AUTO_TEST_CASE(backward_without_initial_state_or_final_gradient) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  Problem p = random_problem(layer, 5, 3, rng);
  check_training_step(layer, p, false, "zero h0,c0");

  // No gradient reaching the final state: the reference gets zeros.
  const ReferenceLstm lstm = reference_of(layer);
  layer.forward(p.x, {}, true);
  layer.zero_grad();
  layer.backward(p.x, {}, p.loss_y, {});
  p.loss_h.zero();
  p.loss_c.zero();
  check_grads(layer, reference_grads(lstm, p, false), kGradTolerance, "no final gradient");
}

BOOST_AUTO_TEST_CASE(backward_accumulates_weight_gradients) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  const ReferenceGrads once = reference_grads(reference_of(layer), p, true);
  layer.forward(p.x, initial_of(p, true), true);
  layer.zero_grad();
  layer.backward(p.x, initial_of(p, true), p.loss_y, {&p.loss_h, &p.loss_c});
  layer.backward(p.x, initial_of(p, true), p.loss_y, {&p.loss_h, &p.loss_c});
  check_close(layer.grad_weights_layer(), scaled(once.weights_layer, 2.0), kGradTolerance,
              "2x dW_layer");
  check_close(layer.grad_weights_iter(), scaled(once.weights_iter, 2.0), kGradTolerance,
              "2x dW_iter");
  check_close(layer.grad_bias(), scaled(once.bias, 2.0), kGradTolerance, "2x db");
  // Input and state gradients are overwritten, not accumulated.
  check_close(layer.grad_input(), once.x, kGradTolerance, "dx after two calls");
  check_close(layer.grad_initial_h(), once.initial_h, kGradTolerance, "dh0 after two calls");

  layer.zero_grad();
  check_close(layer.grad_weights_iter(), Values(layer.grad_weights_iter().size(), 0.0), 0.0,
              "dW_iter after zero_grad");
}

BOOST_AUTO_TEST_CASE(changed_weights_reach_cached_primitives) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  // Warm the caches: primitives and reordered weights for both modes.
  layer.forward(p.x, initial_of(p, true), false);
  check_training_step(layer, p, true, "before update");
  const Values output_before = to_values(layer.output());

  // What an optimizer step does: change the masters in place, then say so.
  for (Tensor* w : {&layer.weights_layer(), &layer.weights_iter(), &layer.bias()}) {
    for (int64_t i = 0; i < w->size(); ++i) (*w)[i] = -0.9f * (*w)[i] + 0.05f;
  }
  layer.weights_changed();

  const ReferenceLstm updated = reference_of(layer);
  layer.forward(p.x, initial_of(p, true), false);
  check_forward(layer, reference_run(updated, p, true), "inference after update");
  check_training_step(layer, p, true, "training after update");
  BOOST_TEST(worst_error(to_values(layer.output()), output_before) > 1e-2);
}

BOOST_AUTO_TEST_CASE(shapes_in_sequence_reuse_the_cache) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const std::pair<int64_t, int64_t> shapes[] = {{5, 3}, {2, 4}, {5, 3}, {7, 1}, {2, 4}, {1, 3}};
  for (const auto& [steps, batch] : shapes) {
    const Problem p = random_problem(layer, steps, batch, rng);
    const std::string what = "T=" + std::to_string(steps) + " N=" + std::to_string(batch);
    layer.forward(p.x, initial_of(p, true), false);
    check_forward(layer, reference_run(reference_of(layer), p, true), what + " inference");
    check_training_step(layer, p, true, what);
  }
}

BOOST_AUTO_TEST_CASE(evicted_shapes_still_serve_backward_and_come_back) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  const ReferenceLstm lstm = reference_of(layer);
  layer.forward(p.x, initial_of(p, true), true);
  // More shapes than the cache holds: (5, 3, training) is evicted meanwhile.
  for (int64_t steps = 1; steps <= 70; ++steps) layer.forward_impl_name(steps, 2, true);
  layer.zero_grad();
  layer.backward(p.x, initial_of(p, true), p.loss_y, {&p.loss_h, &p.loss_c});
  check_grads(layer, reference_grads(lstm, p, true), kGradTolerance, "after eviction");
  check_training_step(layer, p, true, "shape created again");
}

BOOST_AUTO_TEST_CASE(step_by_step_equals_whole_sequence) {
  // How a decoder runs at translation time: one step at a time, feeding the
  // layer's own final state back in.
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const Problem p = random_problem(layer, 4, 3, rng);
  layer.forward(p.x, initial_of(p, true), false);
  const Values whole_h = to_values(layer.final_h()), whole_c = to_values(layer.final_c());

  const int64_t step_size = p.batch * layer.input_size();
  Tensor step({1, p.batch, layer.input_size()});
  for (int64_t t = 0; t < p.steps; ++t) {
    std::copy(p.x.data() + t * step_size, p.x.data() + (t + 1) * step_size, step.data());
    const LstmState previous =
        t == 0 ? initial_of(p, true) : LstmState{&layer.final_h(), &layer.final_c()};
    layer.forward(step, previous, false);
  }
  check_close(layer.final_h(), whole_h, kStateTolerance, "h after steps");
  check_close(layer.final_c(), whole_c, kStateTolerance, "c after steps");
}

BOOST_AUTO_TEST_CASE(rejects_misuse) {
  LstmLayer layer = random_layer(context, 4, 6, rng);
  const Problem p = random_problem(layer, 5, 3, rng);
  Tensor wrong_input({5, 3, 5});
  BOOST_CHECK_THROW(layer.forward(wrong_input, {}, true), Error);
  Tensor wrong_state({2, 6});
  BOOST_CHECK_THROW(layer.forward(p.x, {&wrong_state, nullptr}, true), Error);
  // Backward needs the activations of a training forward.
  layer.forward(p.x, {}, false);
  BOOST_CHECK_THROW(layer.backward(p.x, {}, p.loss_y, {}), Error);
  layer.forward(p.x, {}, true);
  Tensor other_input({4, 3, 4});
  BOOST_CHECK_THROW(layer.backward(other_input, {}, p.loss_y, {}), Error);
}

BOOST_AUTO_TEST_SUITE_END()
