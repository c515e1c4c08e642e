// Speed of the LSTM stack's training step (forward_training + backward) on
// oneDNN, against oneDNN's own f32 matmul measured in the same run: the ratio
// is what compares across machines (see notes/performance-bounds.md).
//
//   bench_lstm [--threads N] [--steps T] [--batch N] [--input E] [--hidden H]
//              [--layers L] [--dropout P] [--repeats K]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/dnn_memory.h"
#include "nmt/core/random.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/lstm_stack.h"
#include "bench_util.h"

using namespace nmt;
using namespace nmt::bench;
using nmt::layers::LstmStack;
using nmt::layers::LstmState;

namespace {

struct Options {
  int threads = 1;
  int64_t steps = 30, batch = 64, input = 256, hidden = 512;
  int layers = 2;
  float dropout = 0.0f;
  int repeats = 10;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s: missing value\n", flag.c_str());
      std::exit(2);
    }
    const char* value = argv[++i];
    if (flag == "--threads")
      o.threads = std::atoi(value);
    else if (flag == "--steps")
      o.steps = std::atoll(value);
    else if (flag == "--batch")
      o.batch = std::atoll(value);
    else if (flag == "--input")
      o.input = std::atoll(value);
    else if (flag == "--hidden")
      o.hidden = std::atoll(value);
    else if (flag == "--layers")
      o.layers = std::atoi(value);
    else if (flag == "--dropout")
      o.dropout = static_cast<float>(std::atof(value));
    else if (flag == "--repeats")
      o.repeats = std::atoi(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  DnnContext::set_num_threads(o.threads);
  DnnContext context;

  LstmStack stack(context, o.input, o.hidden, o.layers, o.dropout, 1);
  stack.initialize(2);
  Rng rng(3);
  const Tensor x = random_tensor({o.steps, o.batch, o.input}, rng);
  const Tensor grad_output = random_tensor({o.steps, o.batch, o.hidden}, rng);
  // Given initial states and final-state gradients, as in a decoder.
  std::vector<Tensor> states;
  for (int i = 0; i < 4 * o.layers; ++i) states.push_back(random_tensor({o.batch, o.hidden}, rng));
  std::vector<LstmState> initial, grad_final;
  for (int l = 0; l < o.layers; ++l) {
    initial.push_back({&states[4 * l], &states[4 * l + 1]});
    grad_final.push_back({&states[4 * l + 2], &states[4 * l + 3]});
  }

  double forward_flops = 0.0;
  for (int l = 0; l < o.layers; ++l) {
    const auto C = static_cast<double>(stack.layer(l).input_size());
    const auto H = static_cast<double>(o.hidden);
    forward_flops += 2.0 * 4.0 * H * (C + H) * static_cast<double>(o.batch * o.steps);
  }
  const double backward_flops = 2.0 * forward_flops;  // the convention of the notes

  for (int i = 0; i < kWarmup; ++i) {
    stack.forward(x, initial, true);
    stack.backward(x, initial, grad_output, grad_final);
  }
  std::vector<double> forward_times, backward_times, step_times;
  for (int i = 0; i < o.repeats; ++i) {
    const double f = seconds_of([&] { stack.forward(x, initial, true); });
    const double b = seconds_of([&] { stack.backward(x, initial, grad_output, grad_final); });
    forward_times.push_back(f);
    backward_times.push_back(b);
    step_times.push_back(f + b);
  }
  const double forward_rate = forward_flops / median(forward_times) * 1e-9;
  const double backward_rate = backward_flops / median(backward_times) * 1e-9;
  const double step_rate = (forward_flops + backward_flops) / median(step_times) * 1e-9;
  // As in training, where every step follows an optimizer update: the
  // primitives' weight copies are reordered once per step.
  const double updated_step_seconds = median_seconds(o.repeats, [&] {
    stack.weights_changed();
    stack.forward(x, initial, true);
    stack.backward(x, initial, grad_output, grad_final);
  });
  const double updated_step_rate = (forward_flops + backward_flops) / updated_step_seconds * 1e-9;

  std::string matmul_impl;
  const double matmul_rate = matmul_gflops(context, o.repeats, matmul_impl);

  std::printf("threads %d, oneDNN ISA %s, oneDNN %d.%d.%d\n", DnnContext::num_threads(),
              DnnContext::cpu_isa_name().c_str(), dnnl_version()->major, dnnl_version()->minor,
              dnnl_version()->patch);
  std::printf("LSTM stack: T=%lld N=%lld E=%lld H=%lld L=%d dropout=%.2f, f32, median of %d\n",
              static_cast<long long>(o.steps), static_cast<long long>(o.batch),
              static_cast<long long>(o.input), static_cast<long long>(o.hidden), o.layers,
              o.dropout, o.repeats);
  for (int l = 0; l < o.layers; ++l) {
    std::printf("  layer %d impl: forward_training %s, backward %s, forward_inference %s\n", l,
                stack.layer(l).forward_impl_name(o.steps, o.batch, true).c_str(),
                stack.layer(l).backward_impl_name(o.steps, o.batch).c_str(),
                stack.layer(l).forward_impl_name(o.steps, o.batch, false).c_str());
  }
  std::printf("  forward   %8.2f ms  %7.1f GFLOP/s\n", 1e3 * median(forward_times), forward_rate);
  std::printf("  backward  %8.2f ms  %7.1f GFLOP/s (counted as 2x forward)\n",
              1e3 * median(backward_times), backward_rate);
  std::printf("  fwd+bwd   %8.2f ms  %7.1f GFLOP/s\n", 1e3 * median(step_times), step_rate);
  std::printf("  fwd+bwd   %8.2f ms  %7.1f GFLOP/s with weights_changed() before each step\n",
              1e3 * updated_step_seconds, updated_step_rate);
  std::printf("matmul [1920x1024]x[1024x2048] impl %s: %7.1f GFLOP/s\n", matmul_impl.c_str(),
              matmul_rate);
  std::printf("ratio to matmul: forward %.2f, backward %.2f, fwd+bwd %.2f (%.2f with updates)\n",
              forward_rate / matmul_rate, backward_rate / matmul_rate, step_rate / matmul_rate,
              updated_step_rate / matmul_rate);
  return 0;
}
