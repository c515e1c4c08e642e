#include "nmt/decoder/search/sampling.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "nmt/core/error.h"

namespace nmt {

void check(const SamplingOptions& options) {
  if (!(options.temperature > 0) || !std::isfinite(options.temperature))
    throw Error("--temperature must be > 0, got " + std::to_string(options.temperature));
  if (options.top_k < 1) throw Error("--top-k must be at least 1, got " + std::to_string(options.top_k));
  if (!(options.top_p > 0 && options.top_p <= 1))
    throw Error("--top-p must be in (0, 1], got " + std::to_string(options.top_p));
  if (options.max_length < 1) throw Error("--max-length must be at least 1, got " + std::to_string(options.max_length));
}

int choose_token(const float* logits, int vocab, const SamplingOptions& options, std::mt19937_64& rng,
                 SamplingScratch& scratch) {
  if (options.method == SamplingMethod::greedy) return static_cast<int>(std::max_element(logits, logits + vocab) - logits);
  // Probabilities at the temperature, the largest logit subtracted first.
  const float largest = *std::max_element(logits, logits + vocab);
  auto& weights = scratch.weights;
  auto& order = scratch.order;
  weights.resize(static_cast<std::size_t>(vocab));
  for (int v = 0; v < vocab; ++v) weights[v] = std::exp((logits[v] - largest) / options.temperature);
  // The candidates: every token, or the most probable ones (ties by id).
  order.resize(static_cast<std::size_t>(vocab));
  std::iota(order.begin(), order.end(), 0);
  std::size_t keep = order.size();
  if (options.method == SamplingMethod::topk || options.method == SamplingMethod::topp) {
    const auto more_probable = [&](int a, int b) { return weights[a] > weights[b] || (weights[a] == weights[b] && a < b); };
    if (options.method == SamplingMethod::topk) {
      keep = std::min(order.size(), static_cast<std::size_t>(options.top_k));
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(), more_probable);
    } else {
      std::sort(order.begin(), order.end(), more_probable);
      const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
      double mass = 0;
      keep = 0;
      while (keep < order.size() && mass < options.top_p * total) mass += weights[order[keep++]];
    }
  }
  double total = 0;
  for (std::size_t i = 0; i < keep; ++i) total += weights[order[i]];
  // One uniform draw from [0, total): the same seed gives the same token.
  const double u = std::uniform_real_distribution<double>(0.0, total)(rng);
  double cumulative = 0;
  for (std::size_t i = 0; i < keep; ++i) {
    cumulative += weights[order[i]];
    if (u < cumulative) return order[i];
  }
  return order[keep - 1];  // u within rounding of total
}

}  // namespace nmt
