#include "nmt/eval/bootstrap.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "nmt/core/error.h"
#include "nmt/eval/numpy_rng.h"

namespace nmt::eval {

namespace {

// numpy's pairwise summation (what ndarray.mean adds with), so that a mean
// agrees with sacreBLEU's to the last bit when the scores do.
double numpy_sum(const double* values, std::size_t n) {
  constexpr std::size_t kBlock = 128;
  if (n < 8) {
    double sum = 0.;
    for (std::size_t i = 0; i < n; ++i) sum += values[i];
    return sum;
  }
  if (n <= kBlock) {
    double r[8];
    std::copy(values, values + 8, r);
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (std::size_t j = 0; j < 8; ++j) r[j] += values[i + j];
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += values[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return numpy_sum(values, half) + numpy_sum(values + half, n - half);
}

// sacreBLEU's estimate_ci: the mean of the sorted scores, and half the distance
// between the scores at the 2.5% and 97.5% positions.
BootstrapEstimate estimate(double score, std::vector<double> resampled) {
  std::sort(resampled.begin(), resampled.end());
  const std::size_t n = resampled.size();
  const std::size_t lower = n / 40;
  const std::size_t upper = n - lower - 1;
  const double mean = numpy_sum(resampled.data(), n) / static_cast<double>(n);
  return {score, mean, 0.5 * (resampled[upper] - resampled[lower])};
}

void add_row(std::vector<int64_t>& sums, const int64_t* row) {
  for (std::size_t c = 0; c < sums.size(); ++c) sums[c] += row[c];
}

void check_resampling(std::size_t segments, int samples) {
  if (segments == 0 || samples <= 0)
    throw std::invalid_argument("bootstrap: needs at least one segment and one sample");
  if (segments > (uint64_t{1} << 32)) throw std::invalid_argument("bootstrap: corpus too large");
}

}  // namespace

uint64_t BootstrapSeed::draw() const {
  if (value) return *value;
  std::random_device entropy;
  return (static_cast<uint64_t>(entropy()) << 32) | entropy();
}

std::string BootstrapSeed::paired_text() const { return value ? std::to_string(*value) : "none"; }

BootstrapSeed parse_bootstrap_seed(const std::string& text) {
  BootstrapSeed seed;
  seed.text = text;
  for (char& c : seed.text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (seed.text == "none") {
    seed.value.reset();
    return seed;
  }
  const bool digits = !text.empty() && text.size() <= 19 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits)
    throw Error("SACREBLEU_SEED", "must be a non-negative integer or 'none', not '" + text + "'");
  seed.value = std::stoull(text);
  return seed;
}

BootstrapEstimate bootstrap_estimate(const Metric& metric, const StatsTable& system, int samples,
                                     uint64_t seed) {
  const std::size_t width = metric.stats_size();
  const std::size_t n = system.rows();
  if (system.width() != width)
    throw std::invalid_argument("bootstrap: statistics do not belong to this metric");
  check_resampling(n, samples);
  NumpyDefaultRng rng(seed);
  std::vector<double> scores;
  scores.reserve(static_cast<std::size_t>(samples));
  std::vector<int64_t> sums(width);
  for (int s = 0; s < samples; ++s) {
    std::fill(sums.begin(), sums.end(), 0);
    for (std::size_t i = 0; i < n; ++i) add_row(sums, system.row(rng.below(n)));
    scores.push_back(metric.score_from_stats(sums.data()));
  }
  return estimate(metric.score_from_stats(system.totals().data()), std::move(scores));
}

PairedBootstrapResult paired_bootstrap(const Metric& metric, const StatsTable& baseline,
                                       const StatsTable& system, int samples, uint64_t seed) {
  const std::size_t width = metric.stats_size();
  const std::size_t n = system.rows();
  if (baseline.width() != width || system.width() != width)
    throw std::invalid_argument("bootstrap: statistics do not belong to this metric");
  if (baseline.rows() != n) throw std::invalid_argument("bootstrap: systems differ in length");
  check_resampling(n, samples);

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
