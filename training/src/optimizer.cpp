#include "nmt/training/optimizer.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <omp.h>

#include "nmt/core/error.h"

namespace nmt {

namespace {

// Sums of squares of blocks this long are kept in float (8 lanes of 128
// terms each: exact to ~1e-6 relative) and added into a double: one long
// chain of double additions ran at a third of memory speed.
constexpr std::size_t kNormBlock = 1024;

__attribute__((target_clones("avx2", "default"))) double sum_of_squares(const float* x, std::size_t n) {
  double sum = 0;
  for (std::size_t begin = 0; begin < n; begin += kNormBlock) {
    const std::size_t end = std::min(n, begin + kNormBlock);
    float block = 0;
#pragma omp simd reduction(+ : block)
    for (std::size_t i = begin; i < end; ++i) block += x[i] * x[i];
    sum += block;
  }
  return sum;
}

}  // namespace

double gradient_norm(const std::vector<Parameter>& parameters) {
  // Each thread sums fixed slices; the partial sums are added in thread
  // order, so the norm (and the clipping it decides) is the same on every
  // run with the same thread count.
  std::vector<double> partial(static_cast<std::size_t>(omp_get_max_threads()), 0.0);
#pragma omp parallel
  {
    const std::size_t thread = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t threads = static_cast<std::size_t>(omp_get_num_threads());
    double sum = 0;
    for (const auto& p : parameters) {
      const std::size_t begin = p.size * thread / threads, end = p.size * (thread + 1) / threads;
      sum += sum_of_squares(p.gradient + begin, end - begin);
    }
    partial[thread] = sum;
  }
  double sum = 0;
  for (const double s : partial) sum += s;
  return std::sqrt(sum);
}

float clip_scale(double norm, double max_norm) {
  return max_norm > 0 && norm > max_norm ? static_cast<float>(max_norm / norm) : 1.0f;
}

double clip_gradient_norm(const std::vector<Parameter>& parameters, double max_norm) {
  const double norm = gradient_norm(parameters);
  const float scale = clip_scale(norm, max_norm);
  if (scale != 1.0f)
    for (const auto& p : parameters)
      for (std::size_t i = 0; i < p.size; ++i) p.gradient[i] *= scale;
  return norm;
}

std::string non_finite_parameter(const std::vector<Parameter>& parameters) {
  for (const auto& p : parameters) {
    bool finite = true;
#pragma omp parallel for reduction(&& : finite)
    for (std::size_t i = 0; i < p.size; ++i) finite = finite && std::isfinite(p.value[i]);
    if (!finite) return p.name;
  }
  return "";
}

Optimizer::Optimizer(const OptimizerOptions& options, std::vector<Parameter> parameters)
    : options_(options), parameters_(std::move(parameters)) {
  if (options_.method == OptimizerMethod::adam) {
    for (const auto& p : parameters_) {
      first_moment_.emplace_back(p.size, 0.0f);
      second_moment_.emplace_back(p.size, 0.0f);
    }
  }
}

void Optimizer::step(double learning_rate, float gradient_scale) {
  ++steps_;
  if (options_.method == OptimizerMethod::sgd) {
    const float rate = static_cast<float>(learning_rate);
    for (const auto& p : parameters_)
      for (std::size_t i = 0; i < p.size; ++i) {
        p.value[i] -= rate * (p.gradient[i] * gradient_scale);
        p.gradient[i] = 0.0f;
      }
    return;
  }
  const float beta1 = static_cast<float>(options_.beta1);
  const float beta2 = static_cast<float>(options_.beta2);
  const float epsilon = static_cast<float>(options_.epsilon);
  // Bias correction folded into the step size, as in Kingma & Ba (2015), Sec. 2.
  const double correction1 = 1.0 - std::pow(options_.beta1, static_cast<double>(steps_));
  const double correction2 = 1.0 - std::pow(options_.beta2, static_cast<double>(steps_));
  const float step_size = static_cast<float>(learning_rate * std::sqrt(correction2) / correction1);
  const float epsilon_hat = static_cast<float>(epsilon * std::sqrt(correction2));
  // One pass over memory for all parameters (the update is memory-bound:
  // seven floats move per weight), the clipping scale applied on the way and
  // the gradient cleared for the next step while its line is in cache (a
  // separate memset of all gradients cost 2% of a step).
#pragma omp parallel
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    const auto& p = parameters_[k];
    float* m = first_moment_[k].data();
    float* v = second_moment_[k].data();
#pragma omp for simd schedule(static) nowait
    for (std::size_t i = 0; i < p.size; ++i) {
      const float g = p.gradient[i] * gradient_scale;
      p.gradient[i] = 0.0f;
      m[i] = beta1 * m[i] + (1.0f - beta1) * g;
      v[i] = beta2 * v[i] + (1.0f - beta2) * g * g;
      p.value[i] -= step_size * m[i] / (std::sqrt(v[i]) + epsilon_hat);
    }
  }
}

void Optimizer::save(ModelFileWriter& file) const {
  file.add("optimizer/method", enum_name(optimizer_method_names(), options_.method));
  file.add("optimizer/steps", std::to_string(steps_));
  for (std::size_t k = 0; k < first_moment_.size(); ++k) {
    const auto size = static_cast<std::int64_t>(parameters_[k].size);
    file.add_floats("optimizer/m/" + parameters_[k].name, {size}, first_moment_[k].data());
    file.add_floats("optimizer/v/" + parameters_[k].name, {size}, second_moment_[k].data());
  }
}

void Optimizer::load(const ModelFileReader& file) {
  const std::string method = enum_name(optimizer_method_names(), options_.method);
  if (file.section("optimizer/method") != method)
    throw Error(file.name(), "checkpoint was trained with optimizer '" + file.section("optimizer/method") +
                                 "', not '" + method + "'");
  const std::string& steps = file.section("optimizer/steps");
  const auto parsed = std::from_chars(steps.data(), steps.data() + steps.size(), steps_);
  if (parsed.ec != std::errc() || parsed.ptr != steps.data() + steps.size() || steps_ < 0)
    throw Error(file.name(), "optimizer/steps is not a step count: '" + steps.substr(0, 40) + "'");
  for (std::size_t k = 0; k < first_moment_.size(); ++k) {
    const auto size = static_cast<std::int64_t>(parameters_[k].size);
    file.read_floats("optimizer/m/" + parameters_[k].name, {size}, first_moment_[k].data());
    file.read_floats("optimizer/v/" + parameters_[k].name, {size}, second_moment_[k].data());
  }
}

}  // namespace nmt
