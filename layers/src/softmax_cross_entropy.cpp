#include "nmt/layers/softmax_cross_entropy.h"

#include <algorithm>
#include <cmath>

namespace nmt::layers {

namespace {

// log(sum(exp(row))) computed stably. This is the hot loop of decoding (one
// exp per vocabulary entry per output token): float exp in SIMD form (this file
// is built with -ffast-math so that GCC calls glibc's vector expf), summed in
// float, which is accurate to ~1e-6 relative for rows of 1e5 entries.
float log_sum_exp(const float* row, int vocab) {
  float max = row[0];
#pragma omp simd reduction(max : max)
  for (int j = 0; j < vocab; ++j) max = std::max(max, row[j]);
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int j = 0; j < vocab; ++j) sum += std::exp(row[j] - max);
  return std::log(sum) + max;
}

}  // namespace

CrossEntropySums softmax_cross_entropy(const float* logits, const int* targets, int rows, int vocab,
                                       float label_smoothing, int ignore_id, float gradient_scale,
                                       float* gradient) {
  const double eps = label_smoothing;
  const double eps_other = vocab > 1 ? eps / (vocab - 1) : 0.0;
  double loss = 0, nll = 0;
  std::size_t tokens = 0;
#pragma omp parallel for reduction(+ : loss, nll, tokens) schedule(static)
  for (int r = 0; r < rows; ++r) {
    const float* row = logits + static_cast<std::size_t>(r) * vocab;
    float* grad = gradient ? gradient + static_cast<std::size_t>(r) * vocab : nullptr;
    const int target = targets[r];
    if (target == ignore_id) {
      if (grad) std::fill(grad, grad + vocab, 0.0f);
      continue;
    }
    const double lse = log_sum_exp(row, vocab);
    float row_sum = 0.0f;
#pragma omp simd reduction(+ : row_sum)
    for (int j = 0; j < vocab; ++j) row_sum += row[j];
    const double target_nll = lse - row[target];
    const double uniform_nll = vocab * lse - row_sum;  // sum over all words of -log p
    // q(target) = 1 - eps, q(other) = eps_other: split as (1-eps-eps_other)*nll + eps_other*all.
    loss += (1.0 - eps - eps_other) * target_nll + eps_other * uniform_nll;
    nll += target_nll;
    ++tokens;
    if (grad) {
      const float scale = gradient_scale;
      const float q_other = static_cast<float>(eps_other);
      const float q_target = static_cast<float>(1.0 - eps);
      const float lse_f = static_cast<float>(lse);
      const float target_logit = row[target];
#pragma omp simd
      for (int j = 0; j < vocab; ++j) grad[j] = scale * (std::exp(row[j] - lse_f) - q_other);
      grad[target] = scale * (std::exp(target_logit - lse_f) - q_target);
    }
  }
  return {loss, nll, tokens};
}

void log_softmax(float* values, int rows, int vocab) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; ++r) {
    float* row = values + static_cast<std::size_t>(r) * vocab;
    const float lse = log_sum_exp(row, vocab);
#pragma omp simd
    for (int j = 0; j < vocab; ++j) row[j] -= lse;
  }
}

void target_log_probabilities(const float* logits, const int* targets, int rows, int vocab,
                              int ignore_id, float* out) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; ++r) {
    if (targets[r] == ignore_id) {
      out[r] = 0.0f;
      continue;
    }
    const float* row = logits + static_cast<std::size_t>(r) * vocab;
    out[r] = row[targets[r]] - log_sum_exp(row, vocab);
  }
}

}  // namespace nmt::layers
