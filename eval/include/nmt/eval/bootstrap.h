#pragma once
// Bootstrap resampling as sacreBLEU runs it. Paired (Koehn 2004, --paired-bs):
// the same resampled segment sets score both systems, the p-value counts how
// often the centred resampled difference exceeds the observed one, and each
// system gets the mean and 95% confidence half-width of its resampled scores.

#include <cstdint>
#include <optional>
#include <string>

#include "nmt/eval/metric.h"
#include "nmt/eval/stats_table.h"

namespace nmt::eval {

inline constexpr int kDefaultBootstrapSamples = 1000;
inline constexpr uint64_t kDefaultBootstrapSeed = 12345;  // sacreBLEU's SACREBLEU_SEED default

// The resampling seed as sacreBLEU takes it from SACREBLEU_SEED: a
// non-negative integer, or "none" (any case) for a different draw every run.
struct BootstrapSeed {
  std::optional<uint64_t> value = kDefaultBootstrapSeed;
  std::string text = "12345";  // as given, lowercased: what --confidence signatures show

  // The seed for one run: the value, or a fresh random one for "none".
  uint64_t draw() const;
  // What a paired test's signature shows: the integer, or "none".
  std::string paired_text() const;
};

// Throws nmt::Error naming SACREBLEU_SEED for anything else.
BootstrapSeed parse_bootstrap_seed(const std::string& text);

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

// One system's bootstrap estimate (sacreBLEU's --confidence): its score on all
// segments, and the mean and 95% half-width of its scores on `samples`
// resamples drawn as the paired test draws them. Throws std::invalid_argument
// for an empty table or no samples.
BootstrapEstimate bootstrap_estimate(const Metric& metric, const StatsTable& system,
                                     int samples = kDefaultBootstrapSamples,
                                     uint64_t seed = kDefaultBootstrapSeed);

// Both tables must have the same rows (segments) and the metric's width.
// Throws std::invalid_argument otherwise.
PairedBootstrapResult paired_bootstrap(const Metric& metric, const StatsTable& baseline,
                                       const StatsTable& system,
                                       int samples = kDefaultBootstrapSamples,
                                       uint64_t seed = kDefaultBootstrapSeed);

}  // namespace nmt::eval
