#include "reference_lstm.h"

#include <cmath>

namespace nmt::testing {
namespace {

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

enum Gate { kInput = 0, kForget = 1, kCandidate = 2, kOutput = 3 };

Values slice(const Values& v, int64_t begin, int64_t count) {
  return Values(v.begin() + begin, v.begin() + begin + count);
}

Values or_zeros(const Values& v, int64_t count) { return v.empty() ? Values(count, 0.0) : v; }

}  // namespace

Values ReferenceTrace::output() const {
  const int64_t state = static_cast<int64_t>(h.size()) / (steps + 1);
  return slice(h, state, steps * state);
}
Values ReferenceTrace::final_h() const {
  const int64_t state = static_cast<int64_t>(h.size()) / (steps + 1);
  return slice(h, steps * state, state);
}
Values ReferenceTrace::final_c() const {
  const int64_t state = static_cast<int64_t>(c.size()) / (steps + 1);
  return slice(c, steps * state, state);
}

ReferenceTrace reference_forward(const ReferenceLstm& lstm, const Values& x, int64_t steps,
                                 int64_t batch, const Values& initial_h, const Values& initial_c) {
  const int64_t C = lstm.input_size, H = lstm.hidden_size, N = batch;
  ReferenceTrace trace;
  trace.steps = steps;
  trace.batch = batch;
  trace.x = x;
  trace.h.assign((steps + 1) * N * H, 0.0);
  trace.c.assign((steps + 1) * N * H, 0.0);
  trace.gates.assign(steps * N * 4 * H, 0.0);
  const Values h0 = or_zeros(initial_h, N * H), c0 = or_zeros(initial_c, N * H);
  for (int64_t i = 0; i < N * H; ++i) {
    trace.h[i] = h0[i];
    trace.c[i] = c0[i];
  }
  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t n = 0; n < N; ++n) {
      const double* x_t = &x[(t * N + n) * C];
      const double* h_prev = &trace.h[(t * N + n) * H];
      const double* c_prev = &trace.c[(t * N + n) * H];
      double* gates = &trace.gates[(t * N + n) * 4 * H];
      for (int64_t g = 0; g < 4; ++g) {
        for (int64_t j = 0; j < H; ++j) {
          double sum = lstm.bias[g * H + j];
          for (int64_t k = 0; k < C; ++k) sum += x_t[k] * lstm.weights_layer[(k * 4 + g) * H + j];
          for (int64_t k = 0; k < H; ++k) sum += h_prev[k] * lstm.weights_iter[(k * 4 + g) * H + j];
          gates[g * H + j] = g == kCandidate ? std::tanh(sum) : sigmoid(sum);
        }
      }
      double* h = &trace.h[((t + 1) * N + n) * H];
      double* c = &trace.c[((t + 1) * N + n) * H];
      for (int64_t j = 0; j < H; ++j) {
        c[j] =
            gates[kForget * H + j] * c_prev[j] + gates[kInput * H + j] * gates[kCandidate * H + j];
        h[j] = gates[kOutput * H + j] * std::tanh(c[j]);
      }
    }
  }
  return trace;
}

ReferenceGrads reference_backward(const ReferenceLstm& lstm, const ReferenceTrace& trace,
                                  const Values& grad_output, const Values& grad_final_h,
                                  const Values& grad_final_c) {
  const int64_t C = lstm.input_size, H = lstm.hidden_size, N = trace.batch, T = trace.steps;
  ReferenceGrads grads;
  grads.weights_layer.assign(lstm.weights_layer.size(), 0.0);
  grads.weights_iter.assign(lstm.weights_iter.size(), 0.0);
  grads.bias.assign(lstm.bias.size(), 0.0);
  grads.x.assign(T * N * C, 0.0);
  // Gradients flowing into the state of the step being processed.
  Values dh = or_zeros(grad_final_h, N * H), dc = or_zeros(grad_final_c, N * H);
  Values dpre(4 * H);
  for (int64_t t = T - 1; t >= 0; --t) {
    for (int64_t n = 0; n < N; ++n) {
      const double* gates = &trace.gates[(t * N + n) * 4 * H];
      const double* c = &trace.c[((t + 1) * N + n) * H];
      const double* c_prev = &trace.c[(t * N + n) * H];
      const double* h_prev = &trace.h[(t * N + n) * H];
      const double* x_t = &trace.x[(t * N + n) * C];
      double* dh_n = &dh[n * H];
      double* dc_n = &dc[n * H];
      for (int64_t j = 0; j < H; ++j) {
        const double i = gates[kInput * H + j], f = gates[kForget * H + j];
        const double cc = gates[kCandidate * H + j], o = gates[kOutput * H + j];
        const double dh_j = dh_n[j] + grad_output[(t * N + n) * H + j];
        const double tanh_c = std::tanh(c[j]);
        const double dc_j = dc_n[j] + dh_j * o * (1.0 - tanh_c * tanh_c);
        dpre[kInput * H + j] = dc_j * cc * i * (1.0 - i);
        dpre[kForget * H + j] = dc_j * c_prev[j] * f * (1.0 - f);
        dpre[kCandidate * H + j] = dc_j * i * (1.0 - cc * cc);
        dpre[kOutput * H + j] = dh_j * tanh_c * o * (1.0 - o);
        dc_n[j] = dc_j * f;  // now the gradient of c_{t-1}
      }
      for (int64_t gj = 0; gj < 4 * H; ++gj) grads.bias[gj] += dpre[gj];
      for (int64_t k = 0; k < C; ++k) {
        double dx = 0.0;
        for (int64_t gj = 0; gj < 4 * H; ++gj) {
          grads.weights_layer[k * 4 * H + gj] += x_t[k] * dpre[gj];
          dx += lstm.weights_layer[k * 4 * H + gj] * dpre[gj];
        }
        grads.x[(t * N + n) * C + k] = dx;
      }
      for (int64_t k = 0; k < H; ++k) {
        double dh_prev = 0.0;
        for (int64_t gj = 0; gj < 4 * H; ++gj) {
          grads.weights_iter[k * 4 * H + gj] += h_prev[k] * dpre[gj];
          dh_prev += lstm.weights_iter[k * 4 * H + gj] * dpre[gj];
        }
        dh_n[k] = dh_prev;  // now the gradient of h_{t-1}, before step t-1's output gradient
      }
    }
  }
  grads.initial_h = dh;
  grads.initial_c = dc;
  return grads;
}

Values reverse_time(const Values& v, int64_t steps) {
  const int64_t step = static_cast<int64_t>(v.size()) / steps;
  Values reversed(v.size());
  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t i = 0; i < step; ++i) reversed[(steps - 1 - t) * step + i] = v[t * step + i];
  }
  return reversed;
}

namespace {

// [parts][rest] from the parts, in order.
Values concatenated(const Values& first, const Values& second) {
  Values both(first);
  both.insert(both.end(), second.begin(), second.end());
  return both;
}

// Direction d of [2][rest], or empty if `both` is empty.
Values direction_of(const Values& both, int d) {
  if (both.empty()) return {};
  const int64_t half = static_cast<int64_t>(both.size()) / 2;
  return slice(both, d * half, half);
}

// [T][N][2H] from two [T][N][H], or back: per (t, n) row, the first H then the second.
Values interleaved(const Values& first, const Values& second, int64_t hidden) {
  Values both;
  for (std::size_t row = 0; row * hidden < first.size(); ++row) {
    both.insert(both.end(), first.begin() + row * hidden, first.begin() + (row + 1) * hidden);
    both.insert(both.end(), second.begin() + row * hidden, second.begin() + (row + 1) * hidden);
  }
  return both;
}

Values half_of_rows(const Values& both, int64_t hidden, int d) {
  Values half;
  for (std::size_t row = 0; row * 2 * hidden < both.size(); ++row) {
    const auto begin = both.begin() + (2 * row + d) * hidden;
    half.insert(half.end(), begin, begin + hidden);
  }
  return half;
}

}  // namespace

Values ReferenceBidirectionalTrace::output() const {
  const int64_t hidden = static_cast<int64_t>(forward.h.size()) / ((forward.steps + 1) * forward.batch);
  return interleaved(forward.output(), reverse_time(backward.output(), backward.steps), hidden);
}
Values ReferenceBidirectionalTrace::final_h() const {
  return concatenated(forward.final_h(), backward.final_h());
}
Values ReferenceBidirectionalTrace::final_c() const {
  return concatenated(forward.final_c(), backward.final_c());
}

ReferenceBidirectionalTrace reference_bidirectional_forward(const ReferenceBidirectional& lstm,
                                                            const Values& x, int64_t steps,
                                                            int64_t batch, const Values& initial_h,
                                                            const Values& initial_c) {
  return {reference_forward(lstm.forward, x, steps, batch, direction_of(initial_h, 0),
                            direction_of(initial_c, 0)),
          reference_forward(lstm.backward, reverse_time(x, steps), steps, batch,
                            direction_of(initial_h, 1), direction_of(initial_c, 1))};
}

ReferenceGrads reference_bidirectional_backward(const ReferenceBidirectional& lstm,
                                                const ReferenceBidirectionalTrace& trace,
                                                const Values& grad_output,
                                                const Values& grad_final_h,
                                                const Values& grad_final_c) {
  const int64_t H = lstm.forward.hidden_size, T = trace.forward.steps;
  const ReferenceGrads forward =
      reference_backward(lstm.forward, trace.forward, half_of_rows(grad_output, H, 0),
                         direction_of(grad_final_h, 0), direction_of(grad_final_c, 0));
  const ReferenceGrads backward = reference_backward(
      lstm.backward, trace.backward, reverse_time(half_of_rows(grad_output, H, 1), T),
      direction_of(grad_final_h, 1), direction_of(grad_final_c, 1));
  ReferenceGrads grads;
  grads.weights_layer = concatenated(forward.weights_layer, backward.weights_layer);
  grads.weights_iter = concatenated(forward.weights_iter, backward.weights_iter);
  grads.bias = concatenated(forward.bias, backward.bias);
  grads.initial_h = concatenated(forward.initial_h, backward.initial_h);
  grads.initial_c = concatenated(forward.initial_c, backward.initial_c);
  grads.x = forward.x;
  const Values backward_x = reverse_time(backward.x, T);
  for (std::size_t i = 0; i < grads.x.size(); ++i) grads.x[i] += backward_x[i];
  return grads;
}

std::vector<ReferenceTrace> reference_stack_forward(const ReferenceStack& stack, const Values& x,
                                                    int64_t steps, int64_t batch,
                                                    const std::vector<Values>& initial_h,
                                                    const std::vector<Values>& initial_c) {
  std::vector<ReferenceTrace> traces;
  Values input = x;
  for (std::size_t l = 0; l < stack.layers.size(); ++l) {
    traces.push_back(
        reference_forward(stack.layers[l], input, steps, batch, initial_h[l], initial_c[l]));
    input = traces.back().output();
    if (!stack.masks.empty() && l + 1 < stack.layers.size()) {
      for (std::size_t i = 0; i < input.size(); ++i) input[i] *= stack.masks[l][i];
    }
  }
  return traces;
}

std::vector<ReferenceGrads> reference_stack_backward(const ReferenceStack& stack,
                                                     const std::vector<ReferenceTrace>& traces,
                                                     const Values& grad_output,
                                                     const std::vector<Values>& grad_final_h,
                                                     const std::vector<Values>& grad_final_c) {
  std::vector<ReferenceGrads> grads(stack.layers.size());
  Values grad = grad_output;
  for (std::size_t l = stack.layers.size(); l-- > 0;) {
    grads[l] =
        reference_backward(stack.layers[l], traces[l], grad, grad_final_h[l], grad_final_c[l]);
    if (l == 0) break;
    grad = grads[l].x;
    if (!stack.masks.empty()) {
      for (std::size_t i = 0; i < grad.size(); ++i) grad[i] *= stack.masks[l - 1][i];
    }
  }
  return grads;
}

}  // namespace nmt::testing
