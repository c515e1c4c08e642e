#include "nmt/layers/softmax_cross_entropy.h"

#include <algorithm>
#include <cmath>

namespace nmt::layers {

namespace {

// The row loops are built once per ISA and picked at run time (GCC's
// target_clones): the portable build would call glibc's 4-wide SSE expf,
// where AVX2 machines have an 8-wide one at twice the rate. Softmax is a
// tenth of a training step and the hot loop of decoding (one exp per
// vocabulary entry per output token). This file is built with -ffast-math so
// that GCC calls glibc's vector expf; sums in float are accurate to ~1e-6
// relative for rows of 1e5 entries.
#define NMT_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))

NMT_VECTOR_CLONES float row_max(const float* row, int vocab) {
  float max = row[0];
#pragma omp simd reduction(max : max)
  for (int j = 0; j < vocab; ++j) max = std::max(max, row[j]);
  return max;
}

// log(sum(exp(row))) computed stably, max being the row's largest entry.
NMT_VECTOR_CLONES float log_sum_exp(const float* row, int vocab, float max) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int j = 0; j < vocab; ++j) sum += std::exp(row[j] - max);
  return std::log(sum) + max;
}

float log_sum_exp(const float* row, int vocab) { return log_sum_exp(row, vocab, row_max(row, vocab)); }

NMT_VECTOR_CLONES float row_sum(const float* row, int vocab) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int j = 0; j < vocab; ++j) sum += row[j];
  return sum;
}

// Loss and gradient with one exp per entry: grad[j] = exp(row[j] - max) on
// the way (grad may alias row), returning the log-sum-exp; *sum_of_row gets
// the sum of the logits (label smoothing's term).
NMT_VECTOR_CLONES float exponentials(const float* row, int vocab, float max, float* grad, float* sum_of_row) {
  float sum = 0.0f, logits = 0.0f;
#pragma omp simd reduction(+ : sum, logits)
  for (int j = 0; j < vocab; ++j) {
    logits += row[j];
    grad[j] = std::exp(row[j] - max);
    sum += grad[j];
  }
  *sum_of_row = logits;
  return std::log(sum) + max;
}

// grad[j] = scale * (grad[j] * inverse_sum - q_other): the softmax minus the
// smoothed share of every word.
NMT_VECTOR_CLONES void normalize_gradient(float* grad, int vocab, float inverse_sum, float q_other, float scale) {
#pragma omp simd
  for (int j = 0; j < vocab; ++j) grad[j] = scale * (grad[j] * inverse_sum - q_other);
}

NMT_VECTOR_CLONES void subtract(float* row, int vocab, float value) {
#pragma omp simd
  for (int j = 0; j < vocab; ++j) row[j] -= value;
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
    const float target_logit = row[target];
    double lse;
    float sum_of_row;
    if (grad) {
      const float max = row_max(row, vocab);
      lse = exponentials(row, vocab, max, grad, &sum_of_row);
      const float inverse_sum = static_cast<float>(std::exp(max - lse));
      normalize_gradient(grad, vocab, inverse_sum, static_cast<float>(eps_other), gradient_scale);
      grad[target] = gradient_scale * (std::exp(target_logit - static_cast<float>(lse)) - static_cast<float>(1.0 - eps));
    } else {
      lse = log_sum_exp(row, vocab);
      sum_of_row = row_sum(row, vocab);
    }
    const double target_nll = lse - target_logit;
    const double uniform_nll = vocab * lse - sum_of_row;  // sum over all words of -log p
    // q(target) = 1 - eps, q(other) = eps_other: split as (1-eps-eps_other)*nll + eps_other*all.
    loss += (1.0 - eps - eps_other) * target_nll + eps_other * uniform_nll;
    nll += target_nll;
    ++tokens;
  }
  return {loss, nll, tokens};
}

void log_softmax(float* values, int rows, int vocab) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; ++r) {
    float* row = values + static_cast<std::size_t>(r) * vocab;
    subtract(row, vocab, log_sum_exp(row, vocab));
  }
}

void pick_log_probabilities(const float* logits, int rows, int vocab, int* columns, float* log_probs) {
#pragma omp parallel for schedule(static)
  for (int r = 0; r < rows; ++r) {
    if (columns[r] == kSkipRow) continue;
    const float* row = logits + static_cast<std::size_t>(r) * vocab;
    const float max = row_max(row, vocab);
    if (columns[r] == kBestColumn) {
      // No entry equals the maximum only where a NaN made it meaningless.
      const float* best = std::find(row, row + vocab, max);
      columns[r] = best == row + vocab ? 0 : static_cast<int>(best - row);
    }
    log_probs[r] = row[columns[r]] - log_sum_exp(row, vocab, max);
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
