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

void Bleu::preprocess(std::string_view line, std::string& out) const {
  if (options_.lowercase) {
    const std::string lowered = lower_python(line);
    tokenize(options_.tokenizer, rstrip_python(lowered), out);
  } else {
    tokenize(options_.tokenizer, rstrip_python(line), out);
  }
}

void Bleu::segment_stats(std::string_view hypothesis,
                         const std::vector<std::string_view>& references, int64_t* out) {
  using L = BleuStatsLayout;
  const std::size_t num_texts = references.size() + 1;
  texts_.resize(num_texts);
  words_.resize(num_texts);
  preprocess(hypothesis, texts_[0]);
  for (std::size_t r = 0; r < references.size(); ++r) preprocess(references[r], texts_[r + 1]);

  std::vector<const std::vector<std::string_view>*> word_lists;
  for (std::size_t t = 0; t < num_texts; ++t) {
    words_[t].clear();
    split_python(texts_[t], words_[t]);
    word_lists.push_back(&words_[t]);
  }
  interner_.intern(word_lists, ids_);

  hyp_counts_.clear();
  add_word_ngrams(ids_[0], kBleuMaxOrder, hyp_counts_);
  normalize_counts(hyp_counts_, Combine::kSum);

  max_ref_counts_.clear();
  const auto hyp_len = static_cast<int64_t>(words_[0].size());
  int64_t closest_len = -1;
  int64_t closest_diff = -1;
  for (std::size_t t = 1; t < num_texts; ++t) {
    ref_counts_.clear();
    add_word_ngrams(ids_[t], kBleuMaxOrder, ref_counts_);
    normalize_counts(ref_counts_, Combine::kSum);
    max_ref_counts_.insert(max_ref_counts_.end(), ref_counts_.begin(), ref_counts_.end());

    const auto ref_len = static_cast<int64_t>(words_[t].size());
    const int64_t diff = std::abs(hyp_len - ref_len);
    if (closest_diff == -1 || diff < closest_diff || (diff == closest_diff && ref_len < closest_len)) {
      closest_diff = diff;
      closest_len = ref_len;
    }
  }
  normalize_counts(max_ref_counts_, Combine::kMax);

  std::fill(out, out + L::kSize, 0);
  out[L::kHypLength] = hyp_len;
  out[L::kRefLength] = closest_len;
  auto ref = max_ref_counts_.begin();
  for (const auto& hyp : hyp_counts_) {
    out[L::kTotal + hyp.order - 1] += hyp.count;
    while (ref != max_ref_counts_.end() && ref->key < hyp.key) ++ref;
    if (ref != max_ref_counts_.end() && ref->key == hyp.key)
      out[L::kCorrect + hyp.order - 1] += std::min(hyp.count, ref->count);
  }
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
