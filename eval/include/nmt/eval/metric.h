#pragma once
// What every corpus metric provides: per-segment sufficient statistics (a fixed
// number of integers) that add up over a corpus, and a score computed from
// their sums. Corpus scores, sentence scores and bootstrap resampling are all
// built on these two operations.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nmt::eval {

// Signature fields that depend on how a score was computed, not on the metric.
struct SignatureContext {
  int num_refs = 1;
  std::optional<int> bootstrap_samples;  // "bs:N" (paired bootstrap)
  std::optional<std::string> seed;       // "seed:S" (paired bootstrap)
};

class Metric {
 public:
  virtual ~Metric() = default;

  // "BLEU", "chrF2", "chrF2++", ...
  virtual std::string name() const = 0;

  // The same metric with its own buffers, for scoring on another thread.
  virtual std::unique_ptr<Metric> clone() const = 0;

  // Number of integers per segment.
  virtual std::size_t stats_size() const = 0;

  // Writes the statistics of one segment to out[0 .. stats_size()). Lines are
  // as read from the files (already right-stripped); references has one entry
  // per reference set. Not const: it reuses internal buffers between calls.
  virtual void segment_stats(std::string_view hypothesis,
                             const std::vector<std::string_view>& references,
                             int64_t* out) = 0;

  // The score (0..100) from statistics summed over any set of segments.
  virtual double score_from_stats(const int64_t* stats) const = 0;

  // What sacreBLEU prints after the score (BLEU's precisions, brevity penalty
  // and lengths); empty for metrics that print nothing more.
  virtual std::string verbose(const int64_t* stats) const {
    (void)stats;
    return "";
  }

  // sacreBLEU-style signature, e.g. "nrefs:1|case:mixed|...|version:nmt-0.1.0".
  virtual std::string signature(const SignatureContext& context) const = 0;
};

// Joins name:value pairs the way sacreBLEU orders them: nrefs, bs, seed, the
// metric's own fields, then version (ours: "nmt-<version>").
std::string format_signature(const SignatureContext& context,
                             const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace nmt::eval
