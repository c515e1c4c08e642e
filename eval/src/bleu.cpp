#include "nmt/eval/bleu.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "nmt/eval/python_text.h"
#include "nmt/eval/score_format.h"

namespace nmt::eval {

Smoothing parse_smoothing(std::string_view name) {
  if (name == "none") return Smoothing::kNone;
  if (name == "floor") return Smoothing::kFloor;
  if (name == "add-k") return Smoothing::kAddK;
  if (name == "exp") return Smoothing::kExp;
  throw std::invalid_argument("unknown smoothing method '" + std::string(name) +
                              "' (choose exp, floor, add-k or none)");
}

const char* smoothing_name(Smoothing smoothing) {
  switch (smoothing) {
    case Smoothing::kNone: return "none";
    case Smoothing::kFloor: return "floor";
    case Smoothing::kAddK: return "add-k";
    case Smoothing::kExp: return "exp";
  }
  return "?";
}

std::optional<double> default_smoothing_value(Smoothing smoothing) {
  if (smoothing == Smoothing::kFloor) return 0.1;
  if (smoothing == Smoothing::kAddK) return 1.0;
  return std::nullopt;
}

namespace {

// sacreBLEU's my_log: log(0) is a large negative number rather than -inf.
double floored_log(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

}  // namespace

std::string BleuScore::verbose() const {
  std::string out;
  for (int n = 0; n < kBleuMaxOrder; ++n) {
    if (n > 0) out += "/";
    out += format_fixed(precisions[n], 1);
  }
  out += " (BP = " + format_fixed(bp, 3) + " ratio = " + format_fixed(ratio, 3) +
         " hyp_len = " + std::to_string(sys_len) + " ref_len = " + std::to_string(ref_len) + ")";
  return out;
}

BleuScore compute_bleu(const int64_t* stats, const BleuOptions& options) {
  using L = BleuStatsLayout;
  BleuScore result;
  result.sys_len = stats[L::kHypLength];
  result.ref_len = stats[L::kRefLength];
  bool any_match = false;
  for (int n = 0; n < kBleuMaxOrder; ++n) {
    result.counts[n] = static_cast<double>(stats[L::kCorrect + n]);
    result.totals[n] = static_cast<double>(stats[L::kTotal + n]);
    any_match = any_match || result.counts[n] != 0;
  }
  const auto sys_len = static_cast<double>(result.sys_len);
  const auto ref_len = static_cast<double>(result.ref_len);
  result.ratio = result.ref_len != 0 ? sys_len / ref_len : 0.0;
  if (result.sys_len < result.ref_len)
    result.bp = result.sys_len > 0 ? std::exp(1.0 - ref_len / sys_len) : 0.0;

  // sacreBLEU returns 0 at once when nothing matches (its issue #141).
  if (!any_match) return result;

  const double k = options.smoothing_value.value_or(
      default_smoothing_value(options.smoothing).value_or(0.0));
  double mteval_factor = 1.0;
  int effective_order = kBleuMaxOrder;
  for (int n = 1; n <= kBleuMaxOrder; ++n) {
    double& correct = result.counts[n - 1];
    double& total = result.totals[n - 1];
    if (options.smoothing == Smoothing::kAddK && n > 1) {
      correct += k;
      total += k;
    }
    if (total == 0) break;
    if (options.effective_order) effective_order = n;
    double& precision = result.precisions[n - 1];
    if (correct == 0) {
      if (options.smoothing == Smoothing::kExp) {
        mteval_factor *= 2;
        precision = 100.0 / (mteval_factor * total);
      } else if (options.smoothing == Smoothing::kFloor) {
        precision = 100.0 * k / total;
      }
    } else {
      precision = 100.0 * correct / total;
    }
  }

  double log_sum = 0.0;
  for (int n = 0; n < effective_order; ++n) log_sum += floored_log(result.precisions[n]);
  result.score = result.bp * std::exp(log_sum / effective_order);
  return result;
}

Bleu::Bleu(BleuOptions options) : options_(options) {}

namespace {

// What sacreBLEU tokenizes: the line, lowercased if asked, right-stripped.
std::string_view bleu_input(std::string_view line, bool lowercase, std::string& lowered) {
  if (!lowercase) return rstrip_python(line);
  lowered = lower_python(line);
  return rstrip_python(lowered);
}

}  // namespace

void Bleu::preprocess(std::string_view line, std::string& out) const {
  std::string lowered;
  tokenize(options_.tokenizer, bleu_input(line, options_.lowercase, lowered), out);
}

void Bleu::tokenize_side(std::string_view line, TokenizedLine& side) {
  tokenize_words(options_.tokenizer, bleu_input(line, options_.lowercase, lowered_), side);
}

void Bleu::segment_stats(std::string_view hypothesis,
                         const std::vector<std::string_view>& references, int64_t* out) {
  using L = BleuStatsLayout;
  sides_.resize(references.size() + 1);
  tokenize_side(hypothesis, sides_[0]);
  std::size_t all_words = sides_[0].words.size();
  for (std::size_t r = 0; r < references.size(); ++r) {
    tokenize_side(references[r], sides_[r + 1]);
    all_words += sides_[r + 1].words.size();
  }

  word_ids_.begin_segment(all_words);
  hyp_ids_.clear();
  word_ids_.ids(sides_[0].words, hyp_ids_);
  table_.begin_segment(kBleuMaxOrder * hyp_ids_.size());
  add_ngrams(hyp_ids_, kBleuMaxOrder, table_);

  std::fill(out, out + L::kSize, 0);
  const auto hyp_len = static_cast<int64_t>(hyp_ids_.size());
  int64_t closest_len = -1;
  int64_t closest_diff = -1;
  for (std::size_t t = 1; t < sides_.size(); ++t) {
    ref_ids_.clear();
    word_ids_.ids(sides_[t].words, ref_ids_);
    table_.begin_reference();
    find_ngrams(ref_ids_, kBleuMaxOrder, table_, [&](NgramTable::Node node, int order) {
      if (table_.match_best(node)) ++out[L::kCorrect + order - 1];
    });

    const auto ref_len = static_cast<int64_t>(ref_ids_.size());
    const int64_t diff = std::abs(hyp_len - ref_len);
    if (closest_diff == -1 || diff < closest_diff || (diff == closest_diff && ref_len < closest_len)) {
      closest_diff = diff;
      closest_len = ref_len;
    }
  }
  out[L::kHypLength] = hyp_len;
  out[L::kRefLength] = closest_len;
  for (int n = 1; n <= kBleuMaxOrder; ++n)
    out[L::kTotal + n - 1] = ngram_count(hyp_ids_.size(), n);
}

std::string Bleu::signature(const SignatureContext& context) const {
  std::string smooth = smoothing_name(options_.smoothing);
  if (const auto default_value = default_smoothing_value(options_.smoothing))
    smooth += "[" + format_fixed(options_.smoothing_value.value_or(*default_value), 2) + "]";
  return format_signature(context, {{"case", options_.lowercase ? "lc" : "mixed"},
                                    {"eff", options_.effective_order ? "yes" : "no"},
                                    {"tok", tokenizer_name(options_.tokenizer)},
                                    {"smooth", smooth}});
}

}  // namespace nmt::eval
