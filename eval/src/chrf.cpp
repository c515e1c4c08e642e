#include "nmt/eval/chrf.h"

#include <algorithm>
#include <stdexcept>

#include "nmt/eval/python_text.h"

namespace nmt::eval {

double chrf_f_score(const int64_t* stats, int num_orders, int beta, bool eps_smoothing) {
  // sacreBLEU's _compute_f_score; the operation order is kept so that results
  // agree to the last bit.
  constexpr double kEps = 1e-16;
  const double factor = static_cast<double>(beta) * beta;
  double eps_score = 0.0;
  double average_precision = 0.0;
  double average_recall = 0.0;
  int effective_order = 0;
  for (int i = 0; i < num_orders; ++i) {
    const int64_t hyp = stats[3 * i];
    const int64_t ref = stats[3 * i + 1];
    const int64_t match = stats[3 * i + 2];
    const double precision = hyp > 0 ? static_cast<double>(match) / static_cast<double>(hyp) : kEps;
    const double recall = ref > 0 ? static_cast<double>(match) / static_cast<double>(ref) : kEps;
    if (eps_smoothing) {
      const double denominator = factor * precision + recall;
      eps_score += denominator > 0 ? (1 + factor) * precision * recall / denominator : kEps;
    }
    if (hyp > 0 && ref > 0) {
      average_precision += precision;
      average_recall += recall;
      ++effective_order;
    }
  }
  if (eps_smoothing) return 100 * eps_score / num_orders;
  if (effective_order == 0) return 0.0;
  average_precision /= effective_order;
  average_recall /= effective_order;
  if (average_precision + average_recall == 0.0) return 0.0;
  double score = (1 + factor) * average_precision * average_recall;
  score /= (factor * average_precision) + average_recall;
  return 100 * score;
}

namespace {

bool is_ascii_punctuation(char c) {
  static constexpr std::string_view kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  return kPunctuation.find(c) != std::string_view::npos;
}

// chrF++'s word split: one punctuation mark is cut off the end of a word, or
// else off its start ("(hi)" -> "(hi", ")"), as sacreBLEU's _remove_punctuation.
void split_words_and_punctuation(std::string_view text, std::vector<std::string_view>& out) {
  std::vector<std::string_view> words;
  split_python(text, words);
  out.clear();
  for (const auto word : words) {
    if (python_len(word) == 1) {
      out.push_back(word);
    } else if (is_ascii_punctuation(word.back())) {
      out.push_back(word.substr(0, word.size() - 1));
      out.push_back(word.substr(word.size() - 1));
    } else if (is_ascii_punctuation(word.front())) {
      out.push_back(word.substr(0, 1));
      out.push_back(word.substr(1));
    } else {
      out.push_back(word);
    }
  }
}

// Adds [hyp, ref, match] per order for one hypothesis/reference pair of lists.
void add_match_statistics(const NgramCounts& hyp, const NgramCounts& ref, int num_orders,
                          int64_t* out) {
  std::vector<int64_t> hyp_totals(num_orders, 0);
  for (const auto& h : hyp) hyp_totals[h.order - 1] += h.count;
  for (const auto& r : ref) out[3 * (r.order - 1) + 1] += r.count;
  auto r = ref.begin();
  for (const auto& h : hyp) {
    while (r != ref.end() && r->key < h.key) ++r;
    if (r != ref.end() && r->key == h.key) out[3 * (h.order - 1) + 2] += std::min(h.count, r->count);
  }
  // A hypothesis n-gram only counts when the reference has n-grams of that order.
  for (int i = 0; i < num_orders; ++i)
    if (out[3 * i + 1] > 0) out[3 * i] = hyp_totals[i];
}

}  // namespace

Chrf::Chrf(ChrfOptions options) : options_(options) {
  if (options_.char_order < 1 || options_.char_order > 6)
    throw std::invalid_argument("chrF character order must be 1..6");
  if (options_.word_order < 0 || options_.word_order > 4)
    throw std::invalid_argument("chrF word order must be 0..4");
}

std::string Chrf::name() const {
  return "chrF" + std::to_string(options_.beta) + std::string(options_.word_order, '+');
}

std::size_t Chrf::stats_size() const { return 3 * static_cast<std::size_t>(num_orders()); }

double Chrf::score_from_stats(const int64_t* stats) const {
  return chrf_f_score(stats, num_orders(), options_.beta, options_.eps_smoothing);
}

void Chrf::extract_chars(std::string_view line, Side& side) const {
  if (options_.lowercase) {
    side.text = lower_python(line);
  } else {
    side.text.assign(line);
  }
  side.chars.clear();
  if (options_.whitespace) {
    decode_utf8(side.text, side.chars);
  } else {
    std::vector<std::string_view> pieces;
    split_python(side.text, pieces);
    for (const auto piece : pieces) decode_utf8(piece, side.chars);
  }
  side.char_counts.clear();
  add_char_ngrams(side.chars, options_.char_order, side.char_counts);
  normalize_counts(side.char_counts, Combine::kSum);
}

void Chrf::segment_stats(std::string_view hypothesis,
                         const std::vector<std::string_view>& references, int64_t* out) {
  const std::size_t num_sides = references.size() + 1;
  sides_.resize(num_sides);
  extract_chars(hypothesis, sides_[0]);
  for (std::size_t r = 0; r < references.size(); ++r) extract_chars(references[r], sides_[r + 1]);

  if (options_.word_order > 0) {
    std::vector<const std::vector<std::string_view>*> word_lists;
    for (auto& side : sides_) {
      split_words_and_punctuation(side.text, side.words);
      word_lists.push_back(&side.words);
    }
    interner_.intern(word_lists, word_ids_);
    for (std::size_t s = 0; s < num_sides; ++s) {
      sides_[s].word_counts.clear();
      add_word_ngrams(word_ids_[s], options_.word_order, sides_[s].word_counts);
      normalize_counts(sides_[s].word_counts, Combine::kSum);
    }
  }

  const std::size_t size = stats_size();
  double best_f = -1.0;
  std::fill(out, out + size, 0);
  for (std::size_t r = 1; r < num_sides; ++r) {
    candidate_.assign(size, 0);
    add_match_statistics(sides_[0].char_counts, sides_[r].char_counts, options_.char_order,
                         candidate_.data());
    if (options_.word_order > 0)
      add_match_statistics(sides_[0].word_counts, sides_[r].word_counts, options_.word_order,
                           candidate_.data() + 3 * options_.char_order);
    const double f = score_from_stats(candidate_.data());
    if (f > best_f) {
      best_f = f;
      std::copy(candidate_.begin(), candidate_.end(), out);
    }
  }
}

std::string Chrf::signature(const SignatureContext& context) const {
  return format_signature(context, {{"case", options_.lowercase ? "lc" : "mixed"},
                                    {"eff", options_.eps_smoothing ? "no" : "yes"},
                                    {"nc", std::to_string(options_.char_order)},
                                    {"nw", std::to_string(options_.word_order)},
                                    {"space", options_.whitespace ? "yes" : "no"}});
}

}  // namespace nmt::eval
