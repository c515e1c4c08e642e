#include "nmt/eval/tokenizers.h"

#include <unicode/uchar.h>

#include <stdexcept>
#include <vector>

#include "nmt/eval/python_text.h"
#include "regex_passes.h"

namespace nmt::eval {

void tokenize_13a_words(std::string_view line, TokenizedLine& out);  // tokenizer_13a.cpp

TokenizerKind parse_tokenizer(std::string_view name) {
  if (name == "none") return TokenizerKind::kNone;
  if (name == "13a") return TokenizerKind::k13a;
  if (name == "intl") return TokenizerKind::kIntl;
  if (name == "char") return TokenizerKind::kChar;
  for (const char* theirs : {"zh", "ja-mecab", "ko-mecab", "spm", "flores101", "flores200"})
    if (name == theirs)
      throw std::invalid_argument("sacreBLEU's tokenizer '" + std::string(name) +
                                  "' is not available in nmt (choose none, 13a, intl or char)");
  throw std::invalid_argument("unknown tokenizer '" + std::string(name) +
                              "' (choose none, 13a, intl or char)");
}

const char* tokenizer_name(TokenizerKind kind) {
  switch (kind) {
    case TokenizerKind::kNone: return "none";
    case TokenizerKind::k13a: return "13a";
    case TokenizerKind::kIntl: return "intl";
    case TokenizerKind::kChar: return "char";
  }
  return "?";
}

namespace {

using detail::PairSpacing;
using detail::substitute_pairs;
using detail::surround;

void join_python_words(std::string_view text, std::string& out) {
  thread_local std::vector<std::string_view> words;
  words.clear();
  split_python(text, words);
  out.clear();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out.append(words[i]);
  }
}

// Unicode general categories as the `regex` module's \p{P}, \p{S}, \p{N} see them.
bool is_punctuation(char32_t c) {
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_P_MASK) != 0;
}
bool is_symbol(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_S_MASK) != 0; }
bool is_number(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0; }

void tokenize_intl(std::string_view line, std::string& out) {
  std::u32string text;
  decode_utf8(line, text);
  const auto not_number = [](char32_t c) { return !is_number(c); };

  std::u32string scratch;
  substitute_pairs(text, scratch, not_number, is_punctuation, PairSpacing::kAfterBoth);
  substitute_pairs(scratch, text, is_punctuation, not_number, PairSpacing::kBeforeBoth);
  surround(text, scratch, is_symbol);

  std::string utf8;
  utf8.reserve(scratch.size());
  for (const char32_t c : scratch) append_utf8(utf8, c);
  join_python_words(utf8, out);
}

// " ".join(line): every code point, spaces included, becomes a token.
void tokenize_char(std::string_view line, std::string& out) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    if (i > 0) out.push_back(' ');
    std::size_t next = i + 1;
    while (next < line.size() && (static_cast<unsigned char>(line[next]) & 0xC0) == 0x80) ++next;
    out.append(line.substr(i, next - i));
    i = next;
  }
}

}  // namespace

void tokenize_words(TokenizerKind kind, std::string_view line, TokenizedLine& out) {
  if (kind == TokenizerKind::k13a) return tokenize_13a_words(line, out);
  tokenize(kind, line, out.text);
  out.words.clear();
  split_python(out.text, out.words);
}

void tokenize(TokenizerKind kind, std::string_view line, std::string& out) {
  switch (kind) {
    case TokenizerKind::kNone: out.assign(line); return;
    case TokenizerKind::k13a: {
      thread_local TokenizedLine words;
      tokenize_13a_words(line, words);
      out.swap(words.text);
      return;
    }
    case TokenizerKind::kIntl: tokenize_intl(line, out); return;
    case TokenizerKind::kChar: tokenize_char(line, out); return;
  }
}

}  // namespace nmt::eval
