// sacreBLEU's 13a tokenizer, word by word: its four re.sub() passes never carry
// anything across whitespace (no pattern can match a whitespace character as
// [.,] or a digit, and sacreBLEU pads the line with spaces), so running them on
// each whitespace-free word padded the same way, then splitting, gives exactly
// the words of running them over the line. Most words contain none of the
// characters the passes look at and are copied as they are.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nmt/eval/python_text.h"
#include "nmt/eval/tokenizers.h"
#include "regex_passes.h"

namespace nmt::eval {

namespace {

using detail::PairSpacing;

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  std::size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

// mteval-v13a's language-independent part. Returns line itself when none of
// its patterns can occur (no '<', '\n' or '&': three memchr calls).
std::string_view unescape(std::string_view line, std::string& buffer) {
  const auto npos = std::string_view::npos;
  if (line.find('<') == npos && line.find('\n') == npos && line.find('&') == npos) return line;
  buffer.assign(line);
  replace_all(buffer, "<skipped>", "");
  replace_all(buffer, "-\n", "");
  replace_all(buffer, "\n", " ");
  if (buffer.find('&') != std::string::npos) {
    replace_all(buffer, "&quot;", "\"");
    replace_all(buffer, "&amp;", "&");
    replace_all(buffer, "&lt;", "<");
    replace_all(buffer, "&gt;", ">");
  }
  return buffer;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first 13a class: [\{-\~\[-\` -\&\(-\+\:-\@\/]
bool is_13a_symbol(char c) {
  const auto b = static_cast<unsigned char>(c);
  return (b >= 0x7B && b <= 0x7E) || (b >= 0x5B && b <= 0x60) || (b >= 0x20 && b <= 0x26) ||
         (b >= 0x28 && b <= 0x2B) || (b >= 0x3A && b <= 0x40) || b == 0x2F;
}

// What a byte means to the word scan: part of an ordinary word, ASCII
// whitespace, a byte some pass acts on (the symbol class, '.', ',' and '-'),
// or a lead byte that may start a non-ASCII space.
enum ByteKind : uint8_t { kOrdinary, kSpace, kActive, kMaybeSpace };

const std::array<uint8_t, 256> kByteKinds = [] {
  std::array<uint8_t, 256> kinds{};
  for (int b = 0; b < 256; ++b) {
    const auto c = static_cast<char>(b);
    if (b < 0x80 && is_python_space(static_cast<char32_t>(b)))
      kinds[b] = kSpace;
    else if (is_13a_symbol(c) || c == '.' || c == ',' || c == '-')
      kinds[b] = kActive;
    else if (b == 0xC2 || (b >= 0xE1 && b <= 0xE3))
      kinds[b] = kMaybeSpace;
  }
  return kinds;
}();

// Length of the whitespace character at text[i], 0 when there is none.
std::size_t space_at(std::string_view text, std::size_t i) {
  const uint8_t kind = kByteKinds[static_cast<unsigned char>(text[i])];
  if (kind == kSpace) return 1;
  return kind == kMaybeSpace ? space_length_at(text, i) : 0;
}

// The four passes over " word ", as TokenizerRegexp runs them over the line.
void run_passes(std::string_view word, std::string& a, std::string& b) {
  const auto not_digit = [](char c) { return !is_digit(c); };
  const auto period_or_comma = [](char c) { return c == '.' || c == ','; };
  const auto dash = [](char c) { return c == '-'; };
  a.assign(" ");
  a.append(word);
  a.push_back(' ');
  detail::surround(a, b, is_13a_symbol);
  detail::substitute_pairs(b, a, not_digit, period_or_comma, PairSpacing::kAfterBoth);
  detail::substitute_pairs(a, b, period_or_comma, not_digit, PairSpacing::kBeforeBoth);
  detail::substitute_pairs(b, a, is_digit, dash, PairSpacing::kAfterBoth);
}

}  // namespace

void tokenize_13a_words(std::string_view line, TokenizedLine& out) {
  // Buffers reused across lines: tokenizing is the hot path of corpus BLEU.
  thread_local std::string unescaped, a, b;
  thread_local std::vector<std::pair<std::size_t, std::size_t>> spans;
  out.text.clear();
  spans.clear();
  const auto emit = [&](std::string_view word) {
    if (!out.text.empty()) out.text.push_back(' ');
    spans.emplace_back(out.text.size(), word.size());
    out.text.append(word);
  };
  // Python's split() and the word scan in one pass.
  const std::string_view text = unescape(line, unescaped);
  std::size_t i = 0;
  while (i < text.size()) {
    if (const std::size_t space = space_at(text, i)) {
      i += space;
      continue;
    }
    const std::size_t start = i;
    bool active = false;
    for (; i < text.size(); ++i) {
      const uint8_t kind = kByteKinds[static_cast<unsigned char>(text[i])];
      if (kind == kSpace || (kind == kMaybeSpace && space_length_at(text, i) > 0)) break;
      active = active || kind == kActive;
    }
    const std::string_view word = text.substr(start, i - start);
    if (!active) {
      emit(word);
      continue;
    }
    run_passes(word, a, b);
    // Only ASCII spaces separate what the passes produced.
    std::size_t piece = 0;
    while (piece < a.size()) {
      std::size_t end = a.find(' ', piece);
      if (end == std::string::npos) end = a.size();
      if (end > piece) emit(std::string_view(a).substr(piece, end - piece));
      piece = end + 1;
    }
  }
  // Views only now: appending may have moved the text.
  out.words.clear();
  for (const auto& [offset, length] : spans) out.words.emplace_back(out.text.data() + offset, length);
}

}  // namespace nmt::eval
