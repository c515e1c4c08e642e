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
void split_words_and_punctuation(std::string_view text, std::vector<std::string_view>& pieces,
                                 std::vector<std::string_view>& out) {
  pieces.clear();
  split_python(text, pieces);
  out.clear();
  for (const auto word : pieces) {
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

// [hyp, ref, match] per order from the two lengths, matches already counted:
// a hypothesis n-gram only counts when the reference has n-grams of its order.
void set_totals(std::size_t hyp_length, std::size_t ref_length, int orders, int64_t* out) {
  for (int n = 1; n <= orders; ++n) {
    const int64_t ref = ngram_count(ref_length, n);
    out[3 * (n - 1)] = ref > 0 ? ngram_count(hyp_length, n) : 0;
    out[3 * (n - 1) + 1] = ref;
  }
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

void Chrf::extract_chars(std::string_view line, Side& side) {
  if (options_.lowercase) {
    side.lowered = lower_python(line);
    side.text = side.lowered;
  } else {
    side.text = line;
  }
  side.chars.clear();
  if (options_.whitespace) {
    decode_utf8(side.text, side.chars);
  } else {
    pieces_.clear();
    split_python(side.text, pieces_);
    for (const auto piece : pieces_) decode_utf8(piece, side.chars);
  }
}

void Chrf::count_words() {
  std::size_t all_words = 0;
  for (auto& side : sides_) {
    split_words_and_punctuation(side.text, pieces_, side.words);
    all_words += side.words.size();
  }
  word_ids_.begin_segment(all_words);
  for (auto& side : sides_) {
    side.word_ids.clear();
    word_ids_.ids(side.words, side.word_ids);
  }
  const auto& hyp = sides_[0].word_ids;
  word_table_.begin_segment(static_cast<std::size_t>(options_.word_order) * hyp.size());
  add_ngrams(hyp, options_.word_order, word_table_);
}

void Chrf::segment_stats(std::string_view hypothesis,
                         const std::vector<std::string_view>& references, int64_t* out) {
  sides_.resize(references.size() + 1);
  extract_chars(hypothesis, sides_[0]);
  for (std::size_t r = 0; r < references.size(); ++r) extract_chars(references[r], sides_[r + 1]);
  const Side& hyp = sides_[0];
  char_table_.begin_segment(static_cast<std::size_t>(options_.char_order) * hyp.chars.size());
  add_ngrams(hyp.chars, options_.char_order, char_table_);
  if (options_.word_order > 0) count_words();

  const std::size_t size = stats_size();
  double best_f = -1.0;
  std::fill(out, out + size, 0);
  for (std::size_t r = 1; r < sides_.size(); ++r) {
    const Side& ref = sides_[r];
    candidate_.assign(size, 0);
    int64_t* const word_stats = candidate_.data() + 3 * options_.char_order;
    char_table_.begin_reference();
    find_ngrams(ref.chars, options_.char_order, char_table_, [&](NgramTable::Node node, int order) {
      if (char_table_.match(node)) ++candidate_[3 * (order - 1) + 2];
    });
    set_totals(hyp.chars.size(), ref.chars.size(), options_.char_order, candidate_.data());
    if (options_.word_order > 0) {
      word_table_.begin_reference();
      find_ngrams(ref.word_ids, options_.word_order, word_table_, [&](NgramTable::Node node, int order) {
        if (word_table_.match(node)) ++word_stats[3 * (order - 1) + 2];
      });
      set_totals(hyp.word_ids.size(), ref.word_ids.size(), options_.word_order, word_stats);
    }
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
