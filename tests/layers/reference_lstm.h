#pragma once
// An independent LSTM in double precision with plain loops: forward and
// backpropagation through time written out by hand, to check the oneDNN
// layers against. Same equations and layouts as nmt/layers/lstm_layer.h
// (gate order i, f, c~, o; weights [rows][4][H]), nothing else shared.

#include <cstdint>
#include <vector>

namespace nmt::testing {

using Values = std::vector<double>;

struct ReferenceLstm {
  int64_t input_size = 0, hidden_size = 0;
  Values weights_layer;  // [C][4][H]
  Values weights_iter;   // [H][4][H]
  Values bias;           // [4][H]
};

// Everything the backward pass needs from the forward pass.
struct ReferenceTrace {
  int64_t steps = 0, batch = 0;
  Values x;      // [T][N][C]
  Values h, c;   // [T+1][N][H], index 0 holds the initial state
  Values gates;  // [T][N][4][H], after the nonlinearities

  Values output() const;   // h[1..T]
  Values final_h() const;  // h[T]
  Values final_c() const;  // c[T]
};

struct ReferenceGrads {
  Values weights_layer, weights_iter, bias;
  Values x, initial_h, initial_c;
};

// Empty initial_h / initial_c stand for zeros.
ReferenceTrace reference_forward(const ReferenceLstm& lstm, const Values& x, int64_t steps,
                                 int64_t batch, const Values& initial_h, const Values& initial_c);

// Empty grad_final_h / grad_final_c stand for zeros.
ReferenceGrads reference_backward(const ReferenceLstm& lstm, const ReferenceTrace& trace,
                                  const Values& grad_output, const Values& grad_final_h,
                                  const Values& grad_final_c);

// A bidirectional layer as two independent LSTMs: `forward` reads x as it
// is, `backward` reads x reversed in time. Nothing of oneDNN's
// bidirectional_concat is assumed beyond that definition.
struct ReferenceBidirectional {
  ReferenceLstm forward, backward;
};

struct ReferenceBidirectionalTrace {
  ReferenceTrace forward, backward;  // backward: the trace of x reversed in time

  // [T][N][2H]: step t is [forward's h_t; backward's state after x_{T-1} .. x_t].
  Values output() const;
  Values final_h() const;  // [2][N][H]: forward's, then backward's (after x_0)
  Values final_c() const;
};

// [T][rest] -> the same with step t moved to T-1-t.
Values reverse_time(const Values& v, int64_t steps);

// initial_h / initial_c: [2][N][H], or empty for zeros.
ReferenceBidirectionalTrace reference_bidirectional_forward(const ReferenceBidirectional& lstm,
                                                            const Values& x, int64_t steps,
                                                            int64_t batch, const Values& initial_h,
                                                            const Values& initial_c);

// grad_output [T][N][2H]; grad_final_h / grad_final_c [2][N][H] or empty.
// The result in the bidirectional layer's layout: weights and bias
// [2][...] (forward's, then backward's), initial states [2][N][H], and x
// [T][N][C] with both directions' contributions added.
ReferenceGrads reference_bidirectional_backward(const ReferenceBidirectional& lstm,
                                                const ReferenceBidirectionalTrace& trace,
                                                const Values& grad_output,
                                                const Values& grad_final_h,
                                                const Values& grad_final_c);

// Layers in sequence; layer l > 0 reads layer l-1's output times masks[l-1]
// (inverted dropout; no masks: no dropout).
struct ReferenceStack {
  std::vector<ReferenceLstm> layers;
  std::vector<Values> masks;
};

// Per layer; empty initial states stand for zeros.
std::vector<ReferenceTrace> reference_stack_forward(const ReferenceStack& stack, const Values& x,
                                                    int64_t steps, int64_t batch,
                                                    const std::vector<Values>& initial_h,
                                                    const std::vector<Values>& initial_c);

// Per layer: grads[l].x is the gradient of layer l's input (for l = 0, the
// stack's input). grad_final_h / grad_final_c: one per layer.
std::vector<ReferenceGrads> reference_stack_backward(const ReferenceStack& stack,
                                                     const std::vector<ReferenceTrace>& traces,
                                                     const Values& grad_output,
                                                     const std::vector<Values>& grad_final_h,
                                                     const std::vector<Values>& grad_final_c);

}  // namespace nmt::testing
