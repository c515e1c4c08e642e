// LstmStack and Dropout against the reference stack (with the stack's own
// dropout masks) and finite differences through it.

#include "nmt/layers/lstm_stack.h"

#include <boost/test/unit_test.hpp>

#include "nmt/core/dnn_context.h"
#include "nmt/core/error.h"
#include "nmt/layers/dropout.h"
#include "test_util.h"

using namespace nmt;
using namespace nmt::testing;
using nmt::layers::Dropout;
using nmt::layers::LstmStack;
using nmt::layers::LstmState;

namespace {

constexpr int64_t kSteps = 5, kBatch = 3, kInput = 4, kHidden = 6;
constexpr int kLayers = 3;

// Inputs, per-layer initial states, and the weights of the loss
// sum(y_top * R_y) + sum_l (sum(h_T,l * R_h,l) + sum(c_T,l * R_c,l)).
struct StackProblem {
  Tensor x, loss_y;
  std::vector<Tensor> initial_h, initial_c, loss_h, loss_c;

  explicit StackProblem(Rng& rng)
      : x(random_tensor({kSteps, kBatch, kInput}, rng)),
        loss_y(random_tensor({kSteps, kBatch, kHidden}, rng)) {
    for (int l = 0; l < kLayers; ++l) {
      initial_h.push_back(random_tensor({kBatch, kHidden}, rng));
      initial_c.push_back(random_tensor({kBatch, kHidden}, rng));
      loss_h.push_back(random_tensor({kBatch, kHidden}, rng));
      loss_c.push_back(random_tensor({kBatch, kHidden}, rng));
    }
  }
  std::vector<LstmState> initial() const { return states(initial_h, initial_c); }
  std::vector<LstmState> loss_state() const { return states(loss_h, loss_c); }

 private:
  static std::vector<LstmState> states(const std::vector<Tensor>& h, const std::vector<Tensor>& c) {
    std::vector<LstmState> result;
    for (std::size_t l = 0; l < h.size(); ++l) result.push_back({&h[l], &c[l]});
    return result;
  }
};

std::vector<Values> values_of(const std::vector<Tensor>& tensors) {
  std::vector<Values> result;
  for (const Tensor& t : tensors) result.push_back(to_values(t));
  return result;
}

// The reference of the stack; with_masks: the masks of its last training forward.
ReferenceStack reference_stack_of(const LstmStack& stack, bool with_masks) {
  ReferenceStack reference;
  for (int l = 0; l < stack.num_layers(); ++l)
    reference.layers.push_back(reference_of(stack.layer(l)));
  if (with_masks) {
    for (int l = 0; l + 1 < stack.num_layers(); ++l)
      reference.masks.push_back(to_values(stack.dropout(l).mask()));
  }
  return reference;
}

LstmStack random_stack(DnnContext& context, float dropout, Rng& rng) {
  LstmStack stack(context, kInput, kHidden, kLayers, dropout, 7);
  for (int l = 0; l < kLayers; ++l) randomize(stack.layer(l), rng);
  return stack;
}

void check_stack_forward(const LstmStack& stack, const std::vector<ReferenceTrace>& expected,
                         const std::string& what) {
  for (int l = 0; l < stack.num_layers(); ++l) {
    check_forward(stack.layer(l), expected[static_cast<std::size_t>(l)],
                  what + " layer " + std::to_string(l));
  }
}

struct Fixture {
  DnnContext context;
  Rng rng{77};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(lstm_stack, Fixture)

BOOST_AUTO_TEST_CASE(training_with_dropout_matches_reference_and_finite_differences) {
  LstmStack stack = random_stack(context, 0.3f, rng);
  const StackProblem p(rng);
  stack.forward(p.x, p.initial(), true);
  stack.zero_grad();
  stack.backward(p.x, p.initial(), p.loss_y, p.loss_state());

  ReferenceStack reference = reference_stack_of(stack, true);
  Values x = to_values(p.x);
  std::vector<Values> h0 = values_of(p.initial_h), c0 = values_of(p.initial_c);
  const std::vector<Values> r_h = values_of(p.loss_h), r_c = values_of(p.loss_c);
  const std::vector<ReferenceTrace> traces =
      reference_stack_forward(reference, x, kSteps, kBatch, h0, c0);
  check_stack_forward(stack, traces, "training");
  const std::vector<ReferenceGrads> expected =
      reference_stack_backward(reference, traces, to_values(p.loss_y), r_h, r_c);

  auto loss = [&] {
    const auto t = reference_stack_forward(reference, x, kSteps, kBatch, h0, c0);
    double sum = dot(t.back().output(), to_values(p.loss_y));
    for (std::size_t l = 0; l < t.size(); ++l)
      sum += dot(t[l].final_h(), r_h[l]) + dot(t[l].final_c(), r_c[l]);
    return sum;
  };
  for (int l = 0; l < kLayers; ++l) {
    const auto i = static_cast<std::size_t>(l);
    const std::string what = "layer " + std::to_string(l);
    check_grads(stack.layer(l), expected[i], kGradTolerance, what + " vs reference");
    ReferenceGrads numeric;
    numeric.weights_layer =
        finite_difference(loss, reference.layers[i].weights_layer, kFiniteDifferenceStep);
    numeric.weights_iter =
        finite_difference(loss, reference.layers[i].weights_iter, kFiniteDifferenceStep);
    numeric.bias = finite_difference(loss, reference.layers[i].bias, kFiniteDifferenceStep);
    numeric.initial_h = finite_difference(loss, h0[i], kFiniteDifferenceStep);
    numeric.initial_c = finite_difference(loss, c0[i], kFiniteDifferenceStep);
    // The input of layer l > 0 is not a free variable of the loss: take the reference's.
    numeric.x = l == 0 ? finite_difference(loss, x, kFiniteDifferenceStep) : expected[i].x;
    check_reference_grads(expected[i], numeric, kReferenceVsFiniteDifference,
                          what + " reference vs finite differences");
    check_grads(stack.layer(l), numeric, kGradVsFiniteDifference, what + " vs finite differences");
  }
  check_close(stack.grad_input(), expected[0].x, kGradTolerance, "stack dx");
}

BOOST_AUTO_TEST_CASE(inference_skips_dropout) {
  LstmStack stack = random_stack(context, 0.5f, rng);
  const StackProblem p(rng);
  const std::vector<Values> zeros(kLayers);
  stack.forward(p.x, {}, false);
  check_stack_forward(stack,
                      reference_stack_forward(reference_stack_of(stack, false), to_values(p.x),
                                              kSteps, kBatch, zeros, zeros),
                      "inference, zero states");
  stack.forward(p.x, p.initial(), false);
  check_stack_forward(
      stack,
      reference_stack_forward(reference_stack_of(stack, false), to_values(p.x), kSteps, kBatch,
                              values_of(p.initial_h), values_of(p.initial_c)),
      "inference");
}

BOOST_AUTO_TEST_CASE(training_without_dropout_matches_reference) {
  LstmStack stack = random_stack(context, 0.0f, rng);
  const StackProblem p(rng);
  const std::vector<Values> zeros(kLayers);
  stack.forward(p.x, {}, true);
  stack.zero_grad();
  stack.backward(p.x, {}, p.loss_y, {});
  const ReferenceStack reference = reference_stack_of(stack, false);
  const auto traces =
      reference_stack_forward(reference, to_values(p.x), kSteps, kBatch, zeros, zeros);
  check_stack_forward(stack, traces, "no dropout");
  const auto expected =
      reference_stack_backward(reference, traces, to_values(p.loss_y), zeros, zeros);
  for (int l = 0; l < kLayers; ++l) {
    check_grads(stack.layer(l), expected[static_cast<std::size_t>(l)], kGradTolerance,
                "no dropout layer " + std::to_string(l));
  }
}

namespace {

// The reference of a stack whose bottom layer is bidirectional: that layer's
// two directions, the unidirectional layers above it, the dropout masks.
struct ReferenceBidirectionalStack {
  ReferenceBidirectional bottom;
  ReferenceStack upper;  // upper.masks[l]: the mask after layer l of the whole stack
};

struct BidirectionalStackTraces {
  ReferenceBidirectionalTrace bottom;
  std::vector<ReferenceTrace> upper;
};

Values masked(Values v, const std::vector<Values>& masks, std::size_t boundary) {
  if (!masks.empty()) {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] *= masks[boundary][i];
  }
  return v;
}

// Initial states per layer of the whole stack (layer 0's [2][N][H]).
BidirectionalStackTraces bidirectional_stack_forward(const ReferenceBidirectionalStack& stack,
                                                     const Values& x, const std::vector<Values>& h0,
                                                     const std::vector<Values>& c0) {
  BidirectionalStackTraces traces{
      reference_bidirectional_forward(stack.bottom, x, kSteps, kBatch, h0[0], c0[0]), {}};
  Values input = masked(traces.bottom.output(), stack.upper.masks, 0);
  for (std::size_t l = 0; l < stack.upper.layers.size(); ++l) {
    traces.upper.push_back(
        reference_forward(stack.upper.layers[l], input, kSteps, kBatch, h0[l + 1], c0[l + 1]));
    if (l + 1 < stack.upper.layers.size())
      input = masked(traces.upper.back().output(), stack.upper.masks, l + 1);
  }
  return traces;
}

// Per layer of the whole stack; grads[0] in the bidirectional layout.
std::vector<ReferenceGrads> bidirectional_stack_backward(const ReferenceBidirectionalStack& stack,
                                                         const BidirectionalStackTraces& traces,
                                                         const Values& grad_output,
                                                         const std::vector<Values>& grad_h,
                                                         const std::vector<Values>& grad_c) {
  std::vector<ReferenceGrads> grads(stack.upper.layers.size() + 1);
  Values grad = grad_output;
  for (std::size_t l = stack.upper.layers.size(); l >= 1; --l) {
    grads[l] = reference_backward(stack.upper.layers[l - 1], traces.upper[l - 1], grad,
                                  grad_h[l], grad_c[l]);
    grad = masked(grads[l].x, stack.upper.masks, l - 1);
  }
  grads[0] = reference_bidirectional_backward(stack.bottom, traces.bottom, grad, grad_h[0],
                                              grad_c[0]);
  return grads;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bidirectional_bottom_layer_matches_reference_and_finite_differences) {
  LstmStack stack(context, kInput, kHidden, kLayers, 0.3f, 7,
                  nmt::layers::LstmDirection::bidirectional_concat);
  for (int l = 0; l < kLayers; ++l) randomize(stack.layer(l), rng);
  BOOST_TEST(stack.layer(0).output_size() == 2 * kHidden);
  BOOST_TEST(stack.layer(1).input_size() == 2 * kHidden);
  BOOST_TEST(stack.layer(1).directions() == 1);
  BOOST_TEST(stack.output_size() == kHidden);

  // Layer 0's states carry the direction axis; the problem's are [N, H].
  StackProblem p(rng);
  p.initial_h[0] = random_tensor({2, kBatch, kHidden}, rng);
  p.initial_c[0] = random_tensor({2, kBatch, kHidden}, rng);
  p.loss_h[0] = random_tensor({2, kBatch, kHidden}, rng);
  p.loss_c[0] = random_tensor({2, kBatch, kHidden}, rng);
  stack.forward(p.x, p.initial(), true);
  stack.zero_grad();
  stack.backward(p.x, p.initial(), p.loss_y, p.loss_state());

  ReferenceBidirectionalStack reference{reference_bidirectional_of(stack.layer(0)), {}};
  for (int l = 1; l < kLayers; ++l) reference.upper.layers.push_back(reference_of(stack.layer(l)));
  for (int l = 0; l + 1 < kLayers; ++l)
    reference.upper.masks.push_back(to_values(stack.dropout(l).mask()));
  Values x = to_values(p.x);
  std::vector<Values> h0 = values_of(p.initial_h), c0 = values_of(p.initial_c);
  const std::vector<Values> r_h = values_of(p.loss_h), r_c = values_of(p.loss_c);
  const Values r_y = to_values(p.loss_y);
  const BidirectionalStackTraces traces = bidirectional_stack_forward(reference, x, h0, c0);
  check_forward(stack.layer(0), traces.bottom, "bidirectional layer 0");
  for (int l = 1; l < kLayers; ++l)
    check_forward(stack.layer(l), traces.upper[l - 1], "layer " + std::to_string(l));
  const std::vector<ReferenceGrads> expected = bidirectional_stack_backward(reference, traces, r_y, r_h, r_c);
  for (int l = 0; l < kLayers; ++l) {
    check_grads(stack.layer(l), expected[static_cast<std::size_t>(l)], kGradTolerance,
                "layer " + std::to_string(l) + " vs reference");
  }

  auto loss = [&] {
    const BidirectionalStackTraces t = bidirectional_stack_forward(reference, x, h0, c0);
    double sum = dot(t.upper.back().output(), r_y) + dot(t.bottom.final_h(), r_h[0]) +
                 dot(t.bottom.final_c(), r_c[0]);
    for (std::size_t l = 0; l < t.upper.size(); ++l)
      sum += dot(t.upper[l].final_h(), r_h[l + 1]) + dot(t.upper[l].final_c(), r_c[l + 1]);
    return sum;
  };
  auto numeric = [&](Values& v) { return finite_difference(loss, v, kFiniteDifferenceStep); };
  check_close(stack.grad_input(), numeric(x), kGradVsFiniteDifference, "stack dx vs finite differences");
  check_close(stack.layer(0).grad_initial_h(), numeric(h0[0]), kGradVsFiniteDifference, "layer 0 dh0");
  check_close(stack.layer(0).grad_initial_c(), numeric(c0[0]), kGradVsFiniteDifference, "layer 0 dc0");
  Values bottom_w = numeric(reference.bottom.forward.weights_layer);
  const Values backward_w = numeric(reference.bottom.backward.weights_layer);
  bottom_w.insert(bottom_w.end(), backward_w.begin(), backward_w.end());
  check_close(stack.layer(0).grad_weights_layer(), bottom_w, kGradVsFiniteDifference, "layer 0 dW_layer");
  // Layer 1 reads the bidirectional layer's 2H features.
  check_close(stack.layer(1).grad_weights_layer(), numeric(reference.upper.layers[0].weights_layer),
              kGradVsFiniteDifference, "layer 1 dW_layer");
  check_close(stack.layer(1).grad_initial_h(), numeric(h0[1]), kGradVsFiniteDifference, "layer 1 dh0");
}

BOOST_AUTO_TEST_CASE(rejects_wrong_number_of_states) {
  LstmStack stack = random_stack(context, 0.0f, rng);
  const StackProblem p(rng);
  std::vector<LstmState> two = p.initial();
  two.pop_back();
  BOOST_CHECK_THROW(stack.forward(p.x, two, true), Error);
  BOOST_CHECK_THROW(LstmStack(context, kInput, kHidden, 0, 0.0f, 1), Error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dropout)

BOOST_AUTO_TEST_CASE(masks_are_inverted_seeded_and_fresh) {
  const float p = 0.3f;
  Rng rng(5);
  const Tensor x = random_tensor({100000}, rng);
  Dropout first(p, 42), second(p, 42);
  Tensor y1, y2;
  first.forward(x, y1, true);
  second.forward(x, y2, true);
  BOOST_TEST(to_values(first.mask()) == to_values(second.mask()), "same seed, same mask");

  int64_t dropped = 0;
  for (int64_t i = 0; i < x.size(); ++i) {
    const float m = first.mask()[i];
    BOOST_TEST((m == 0.0f || m == 1.0f / (1.0f - p)));
    BOOST_TEST(y1[i] == x[i] * m);
    dropped += m == 0.0f;
  }
  // Binomial: standard deviation sqrt(p (1 - p) / n) = 0.0014; 0.01 is 7 of them.
  BOOST_TEST(std::abs(static_cast<double>(dropped) / static_cast<double>(x.size()) - p) < 0.01);

  const Values before = to_values(first.mask());
  first.forward(x, y1, true);
  BOOST_TEST(worst_error(to_values(first.mask()), before) > 0.5, "a new mask per forward");

  Tensor grad_x;
  first.backward(x, grad_x);
  for (int64_t i = 0; i < x.size(); ++i) BOOST_TEST(grad_x[i] == x[i] * first.mask()[i]);

  first.forward(x, y1, false);
  BOOST_TEST(to_values(y1) == to_values(x), "identity in inference");
  BOOST_CHECK_THROW(Dropout(1.0f, 1), Error);
  BOOST_CHECK_THROW(Dropout(-0.1f, 1), Error);
}

BOOST_AUTO_TEST_SUITE_END()
