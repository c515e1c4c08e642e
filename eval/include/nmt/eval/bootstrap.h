#pragma once
// Paired bootstrap resampling (Koehn 2004) as sacreBLEU's --paired-bs runs it:
// the same resampled segment sets score both systems, the p-value counts how
// often the centred resampled difference exceeds the observed one, and each
// system gets the mean and 95% confidence half-width of its resampled scores.

#include <cstdint>

#include "nmt/eval/metric.h"
#include "nmt/eval/stats_table.h"

namespace nmt::eval {

inline constexpr int kDefaultBootstrapSamples = 1000;
inline constexpr uint64_t kDefaultBootstrapSeed = 12345;  // sacreBLEU's SACREBLEU_SEED default

struct BootstrapEstimate {
  double score = 0;  // on the full corpus
  double mean = 0;   // of the resampled scores
  double ci = 0;     // half-width of the 95% interval around the mean
};

struct PairedBootstrapResult {
  BootstrapEstimate baseline;
  BootstrapEstimate system;
  double p_value = 1;
};

// Both tables must have the same rows (segments) and the metric's width.
// Throws std::invalid_argument otherwise.
PairedBootstrapResult paired_bootstrap(const Metric& metric, const StatsTable& baseline,
                                       const StatsTable& system,
                                       int samples = kDefaultBootstrapSamples,
                                       uint64_t seed = kDefaultBootstrapSeed);

}  // namespace nmt::eval
