#pragma once
// BLEU exactly as sacreBLEU 2.x computes it: n-grams up to 4 clipped by the
// largest count in any reference, the closest reference length (ties go to the
// shorter), brevity penalty, and the four smoothing methods.

#include <array>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nmt/eval/metric.h"
#include "nmt/eval/ngram_table.h"
#include "nmt/eval/tokenizers.h"
#include "nmt/eval/word_ids.h"

namespace nmt::eval {

inline constexpr int kBleuMaxOrder = 4;

enum class Smoothing { kNone, kFloor, kAddK, kExp };

// "none", "floor", "add-k", "exp"; throws std::invalid_argument otherwise.
Smoothing parse_smoothing(std::string_view name);
const char* smoothing_name(Smoothing smoothing);
// sacreBLEU's defaults: floor 0.1, add-k 1; none for the others.
std::optional<double> default_smoothing_value(Smoothing smoothing);

struct BleuOptions {
  TokenizerKind tokenizer = TokenizerKind::k13a;
  bool lowercase = false;
  Smoothing smoothing = Smoothing::kExp;
  std::optional<double> smoothing_value;  // empty: the method's default
  // Ignore orders the hypothesis has no n-grams of (sentence-level BLEU).
  bool effective_order = false;
};

// Layout of BLEU's per-segment statistics: [hyp_len, ref_len, correct 1..4, total 1..4].
struct BleuStatsLayout {
  static constexpr std::size_t kHypLength = 0;
  static constexpr std::size_t kRefLength = 1;
  static constexpr std::size_t kCorrect = 2;
  static constexpr std::size_t kTotal = 2 + kBleuMaxOrder;
  static constexpr std::size_t kSize = 2 + 2 * kBleuMaxOrder;
};

struct BleuScore {
  double score = 0;
  std::array<double, kBleuMaxOrder> precisions{};  // percent
  double bp = 1;
  double ratio = 0;
  int64_t sys_len = 0;
  int64_t ref_len = 0;
  // Matched and total n-grams; with add-k smoothing they include the k added
  // to orders above 1, as sacreBLEU reports them (hence not integers).
  std::array<double, kBleuMaxOrder> counts{};
  std::array<double, kBleuMaxOrder> totals{};

  // "63.4/38.2/26.0/18.3 (BP = 0.956 ratio = 0.957 hyp_len = 9 ref_len = 10)"
  std::string verbose() const;
};

// BLEU from summed statistics (BleuStatsLayout).
BleuScore compute_bleu(const int64_t* stats, const BleuOptions& options);

class Bleu : public Metric {
 public:
  explicit Bleu(BleuOptions options = {});

  const BleuOptions& options() const { return options_; }

  // What sacreBLEU scores for a line: lowercased if asked, then tokenized.
  void preprocess(std::string_view line, std::string& out) const;

  BleuScore score(const int64_t* stats) const { return compute_bleu(stats, options_); }

  std::string name() const override { return "BLEU"; }
  std::unique_ptr<Metric> clone() const override { return std::make_unique<Bleu>(options_); }
  std::size_t stats_size() const override { return BleuStatsLayout::kSize; }
  void segment_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                     int64_t* out) override;
  double score_from_stats(const int64_t* stats) const override { return score(stats).score; }
  std::string verbose(const int64_t* stats) const override { return score(stats).verbose(); }
  std::string signature(const SignatureContext& context) const override;

 private:
  BleuOptions options_;
  void tokenize_side(std::string_view line, TokenizedLine& side);

  // Buffers reused from segment to segment.
  std::vector<TokenizedLine> sides_;  // [0] the hypothesis, then the references
  std::string lowered_;
  std::vector<uint32_t> hyp_ids_, ref_ids_;
  WordIds word_ids_;
  NgramTable table_;
};

}  // namespace nmt::eval
