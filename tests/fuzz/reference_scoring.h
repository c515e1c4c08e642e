#pragma once
// Slow, literal implementations of what fuzz_bleu_chrf checks the metrics
// against: sacreBLEU's 13a tokenizer as its four regular expressions over the
// whole line, and BLEU's and chrF's per-segment statistics with n-grams as
// strings in std::map. The library computes the same with a word-by-word
// tokenizer, hashed word ids and an n-gram trie; any difference is a bug in
// one of the two.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nmt/eval/chrf.h"
#include "nmt/eval/python_text.h"

namespace nmt::fuzz {

// re.sub(r'(A)(B)', r'\1 \2 ') (after_both) or re.sub(r'(A)(B)', r' \1 \2'),
// over bytes: 13a's classes are ASCII, so a byte of a multi-byte character
// matches where the character would.
template <typename First, typename Second>
std::string substitute_pairs(const std::string& in, First first, Second second, bool after_both) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    if (i + 1 < in.size() && first(in[i]) && second(in[i + 1])) {
      out += after_both ? std::string{in[i], ' ', in[i + 1], ' '} : std::string{' ', in[i], ' ', in[i + 1]};
      i += 2;
    } else {
      out += in[i++];
    }
  }
  return out;
}

inline void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size())
    text.replace(pos, from.size(), to);
}

inline std::string join_words(std::string_view text) {
  std::vector<std::string_view> words;
  eval::split_python(text, words);
  std::string out;
  for (const auto word : words) out += (out.empty() ? "" : " ") + std::string(word);
  return out;
}

// sacreBLEU's TokenizerV13a on one line (no '\n' in it).
inline std::string reference_13a(std::string_view line) {
  std::string text(line);
  replace_all(text, "<skipped>", "");
  replace_all(text, "&quot;", "\"");
  replace_all(text, "&amp;", "&");
  replace_all(text, "&lt;", "<");
  replace_all(text, "&gt;", ">");
  text = " " + text + " ";
  const auto symbol = [](char c) {  // [\{-\~\[-\` -\&\(-\+\:-\@\/]
    const auto b = static_cast<unsigned char>(c);
    return (b >= 0x7B && b <= 0x7E) || (b >= 0x5B && b <= 0x60) || (b >= 0x20 && b <= 0x26) ||
           (b >= 0x28 && b <= 0x2B) || (b >= 0x3A && b <= 0x40) || b == 0x2F;
  };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto not_digit = [&](char c) { return !digit(c); };
  const auto period_or_comma = [](char c) { return c == '.' || c == ','; };
  std::string surrounded;
  for (const char c : text) surrounded += symbol(c) ? std::string{' ', c, ' '} : std::string{c};
  text = substitute_pairs(surrounded, not_digit, period_or_comma, true);
  text = substitute_pairs(text, period_or_comma, not_digit, false);
  text = substitute_pairs(text, digit, [](char c) { return c == '-'; }, true);
  return join_words(text);
}

// Every n-gram of orders 1..max_order with its count; the order is the size.
template <typename Unit>
std::map<std::vector<Unit>, int64_t> count_ngrams(const std::vector<Unit>& units, int max_order) {
  std::map<std::vector<Unit>, int64_t> counts;
  for (std::size_t start = 0; start < units.size(); ++start)
    for (std::size_t n = 1; n <= static_cast<std::size_t>(max_order) && start + n <= units.size(); ++n)
      ++counts[std::vector<Unit>(units.begin() + start, units.begin() + start + n)];
  return counts;
}

inline std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string_view> views;
  eval::split_python(text, views);
  return {views.begin(), views.end()};
}

// BLEU's [hyp_len, ref_len, correct 1..4, total 1..4] from tokenized lines.
inline std::vector<int64_t> reference_bleu_stats(const std::string& hypothesis,
                                                 const std::vector<std::string>& references) {
  const auto hyp_words = words_of(hypothesis);
  const auto hyp = count_ngrams(hyp_words, 4);
  std::map<std::vector<std::string>, int64_t> best_ref;
  const auto hyp_len = static_cast<int64_t>(hyp_words.size());
  int64_t closest = -1;
  for (const auto& reference : references) {
    const auto ref_words = words_of(reference);
    for (const auto& [ngram, count] : count_ngrams(ref_words, 4)) best_ref[ngram] = std::max(best_ref[ngram], count);
    const auto ref_len = static_cast<int64_t>(ref_words.size());
    const int64_t diff = std::abs(hyp_len - ref_len), best_diff = std::abs(hyp_len - closest);
    if (closest < 0 || diff < best_diff || (diff == best_diff && ref_len < closest)) closest = ref_len;
  }
  std::vector<int64_t> stats(10, 0);
  stats[0] = hyp_len;
  stats[1] = closest;
  for (const auto& [ngram, count] : hyp) {
    const auto found = best_ref.find(ngram);
    stats[2 + ngram.size() - 1] += found == best_ref.end() ? 0 : std::min(count, found->second);
    stats[6 + ngram.size() - 1] += count;
  }
  return stats;
}

// chrF++'s words: one ASCII punctuation mark split off the end of a word, or
// else off its start.
inline std::vector<std::string> chrf_words(std::string_view text) {
  static constexpr std::string_view kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  const auto punctuation = [](char c) { return kPunctuation.find(c) != std::string_view::npos; };
  std::vector<std::string> out;
  for (const auto& word : words_of(text)) {
    if (eval::python_len(word) == 1) {
      out.push_back(word);
    } else if (punctuation(word.back())) {
      out.push_back(word.substr(0, word.size() - 1));
      out.push_back(word.substr(word.size() - 1));
    } else if (punctuation(word.front())) {
      out.push_back(word.substr(0, 1));
      out.push_back(word.substr(1));
    } else {
      out.push_back(word);
    }
  }
  return out;
}

// chrF's [hyp, ref, match] per order (characters, then words) against the
// reference that gives the best F score (the first of equals).
inline std::vector<int64_t> reference_chrf_stats(const eval::ChrfOptions& options, std::string_view hypothesis,
                                                 const std::vector<std::string_view>& references) {
  struct Side {
    std::map<std::vector<char32_t>, int64_t> chars;
    std::map<std::vector<std::string>, int64_t> words;
  };
  const auto side_of = [&](std::string_view line) {
    const std::string text = options.lowercase ? eval::lower_python(line) : std::string(line);
    std::u32string chars;
    if (options.whitespace) {
      eval::decode_utf8(text, chars);
    } else {
      for (const auto& piece : words_of(text)) eval::decode_utf8(piece, chars);
    }
    Side side{count_ngrams(std::vector<char32_t>(chars.begin(), chars.end()), options.char_order), {}};
    if (options.word_order > 0) side.words = count_ngrams(chrf_words(text), options.word_order);
    return side;
  };
  const Side hyp = side_of(hypothesis);
  const int orders = options.char_order + options.word_order;
  std::vector<int64_t> best(3 * orders, 0);
  double best_f = -1;
  for (const auto reference : references) {
    const Side ref = side_of(reference);
    std::vector<int64_t> stats(3 * orders, 0), hyp_totals(orders, 0);
    const auto add = [&](const auto& hyp_counts, const auto& ref_counts, int first) {
      for (const auto& [ngram, count] : ref_counts) stats[3 * (first + ngram.size() - 1) + 1] += count;
      for (const auto& [ngram, count] : hyp_counts) {
        hyp_totals[first + ngram.size() - 1] += count;
        const auto found = ref_counts.find(ngram);
        if (found != ref_counts.end()) stats[3 * (first + ngram.size() - 1) + 2] += std::min(count, found->second);
      }
    };
    add(hyp.chars, ref.chars, 0);
    add(hyp.words, ref.words, options.char_order);
    for (int i = 0; i < orders; ++i)
      if (stats[3 * i + 1] > 0) stats[3 * i] = hyp_totals[i];
    const double f = eval::chrf_f_score(stats.data(), orders, options.beta, options.eps_smoothing);
    if (f > best_f) {
      best_f = f;
      best = stats;
    }
  }
  return best;
}

}  // namespace nmt::fuzz
