#pragma once
// chrF and chrF++ exactly as sacreBLEU 2.x computes them: character n-grams
// (whitespace removed) plus optional word n-grams, an F-beta score averaged
// over the orders both sides have, and with several references the one giving
// the best F score for each sentence.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nmt/eval/metric.h"
#include "nmt/eval/ngram_counts.h"

namespace nmt::eval {

struct ChrfOptions {
  int char_order = 6;  // at most 6
  int word_order = 0;  // 2 gives chrF++; at most 4
  int beta = 2;
  bool lowercase = false;
  bool whitespace = false;  // keep whitespace inside character n-grams
  // chrF++.py's epsilon smoothing (also Moses' and NLTK's) instead of averaging
  // over the orders both sides have (sacreBLEU's --chrf-eps-smoothing).
  bool eps_smoothing = false;
};

// The F score from statistics laid out as [hyp, ref, match] per order
// (character orders first, then word orders), in percent.
double chrf_f_score(const int64_t* stats, int num_orders, int beta, bool eps_smoothing = false);

class Chrf : public Metric {
 public:
  explicit Chrf(ChrfOptions options = {});

  const ChrfOptions& options() const { return options_; }

  std::string name() const override;  // "chrF2", "chrF2++"
  std::size_t stats_size() const override;
  void segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                     int64_t* out) override;
  double score_from_stats(const int64_t* stats) const override;
  std::string signature(const SignatureContext& context) const override;

 private:
  int num_orders() const { return options_.char_order + options_.word_order; }

  // Character and word n-gram counts of one side of the comparison.
  struct Side {
    std::string text;
    std::u32string chars;
    std::vector<std::string_view> words;
    NgramCounts char_counts, word_counts;
  };
  void extract_chars(std::string_view line, Side& side) const;

  ChrfOptions options_;
  std::vector<Side> sides_;  // [0] hypothesis, then references
  std::vector<std::vector<uint32_t>> word_ids_;
  WordInterner interner_;
  std::vector<int64_t> candidate_;
};

}  // namespace nmt::eval
