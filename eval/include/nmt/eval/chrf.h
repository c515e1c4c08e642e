#pragma once
// chrF and chrF++ exactly as sacreBLEU 2.x computes them: character n-grams
// (whitespace removed) plus optional word n-grams, an F-beta score averaged
// over the orders both sides have, and with several references the one giving
// the best F score for each sentence.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nmt/eval/metric.h"
#include "nmt/eval/ngram_table.h"
#include "nmt/eval/word_ids.h"

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
  std::unique_ptr<Metric> clone() const override { return std::make_unique<Chrf>(options_); }
  std::size_t stats_size() const override;
  void segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                     int64_t* out) override;
  double score_from_stats(const int64_t* stats) const override;
  std::string signature(const SignatureContext& context) const override;

 private:
  int num_orders() const { return options_.char_order + options_.word_order; }

  // One side of the comparison (hypothesis or a reference).
  struct Side {
    std::string lowered;
    std::string_view text;  // the line, or `lowered`
    std::u32string chars;   // without whitespace unless options_.whitespace
    std::vector<std::string_view> words;  // chrF++ only
    std::vector<uint32_t> word_ids;
  };
  void extract_chars(std::string_view line, Side& side);
  // Adds the hypothesis's word ids and n-grams to the tables (chrF++).
  void count_words();

  ChrfOptions options_;
  // Buffers reused from segment to segment.
  std::vector<Side> sides_;  // [0] the hypothesis, then the references
  std::vector<std::string_view> pieces_;
  WordIds word_ids_;
  NgramTable char_table_, word_table_;
  std::vector<int64_t> candidate_;
};

}  // namespace nmt::eval
