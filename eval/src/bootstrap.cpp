#include "nmt/eval/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "nmt/eval/numpy_rng.h"

namespace nmt::eval {

namespace {

// sacreBLEU's estimate_ci: mean, and half the distance between the scores at
// the 2.5% and 97.5% positions of the sorted list.
BootstrapEstimate estimate(double score, std::vector<double> resampled) {
  std::sort(resampled.begin(), resampled.end());
  const std::size_t n = resampled.size();
  const std::size_t lower = n / 40;
  const std::size_t upper = n - lower - 1;
  double sum = 0;
  for (const double s : resampled) sum += s;
  return {score, sum / static_cast<double>(n), 0.5 * (resampled[upper] - resampled[lower])};
}

void add_row(std::vector<int64_t>& sums, const int64_t* row) {
  for (std::size_t c = 0; c < sums.size(); ++c) sums[c] += row[c];
}

}  // namespace

PairedBootstrapResult paired_bootstrap(const Metric& metric, const StatsTable& baseline,
                                       const StatsTable& system, int samples, uint64_t seed) {
  const std::size_t width = metric.stats_size();
  const std::size_t n = system.rows();
  if (baseline.width() != width || system.width() != width)
    throw std::invalid_argument("bootstrap: statistics do not belong to this metric");
  if (baseline.rows() != n) throw std::invalid_argument("bootstrap: systems differ in length");
  if (n == 0 || samples <= 0)
    throw std::invalid_argument("bootstrap: needs at least one segment and one sample");
  if (n > (uint64_t{1} << 32)) throw std::invalid_argument("bootstrap: corpus too large");

  // numpy fills the (samples x n) index matrix row by row from one stream, so
  // drawing each resample's indices in turn reproduces it without storing it.
  NumpyDefaultRng rng(seed);
  std::vector<double> baseline_scores, system_scores;
  baseline_scores.reserve(static_cast<std::size_t>(samples));
  system_scores.reserve(static_cast<std::size_t>(samples));
  std::vector<int64_t> baseline_sums(width), system_sums(width);
  for (int s = 0; s < samples; ++s) {
    std::fill(baseline_sums.begin(), baseline_sums.end(), 0);
    std::fill(system_sums.begin(), system_sums.end(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t index = rng.below(n);
      add_row(baseline_sums, baseline.row(index));
      add_row(system_sums, system.row(index));
    }
    baseline_scores.push_back(metric.score_from_stats(baseline_sums.data()));
    system_scores.push_back(metric.score_from_stats(system_sums.data()));
  }

  PairedBootstrapResult result;
  result.baseline = estimate(metric.score_from_stats(baseline.totals().data()), baseline_scores);
  result.system = estimate(metric.score_from_stats(system.totals().data()), system_scores);

  const double observed = std::abs(result.baseline.score - result.system.score);
  std::vector<double> differences(static_cast<std::size_t>(samples));
  double mean_difference = 0;
  for (std::size_t s = 0; s < differences.size(); ++s) {
    differences[s] = std::abs(system_scores[s] - baseline_scores[s]);
    mean_difference += differences[s];
  }
  mean_difference /= static_cast<double>(samples);
  // Centred on the mean: under the null hypothesis the difference is zero.
  std::size_t exceed = 0;
  for (const double d : differences) exceed += (d - mean_difference) > observed;
  result.p_value = static_cast<double>(exceed + 1) / static_cast<double>(samples + 1);
  return result;
}

}  // namespace nmt::eval
