#include "nmt/eval/tokenizers.h"

#include <unicode/uchar.h>

#include <stdexcept>
#include <vector>

#include "nmt/eval/python_text.h"

namespace nmt::eval {

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

// Where a two-character rule puts its spaces: re.sub(r'(A)(B)', r'\1 \2 ') or
// re.sub(r'(A)(B)', r' \1 \2').
enum class PairSpacing { kAfterBoth, kBeforeBoth };

// re.sub for a pattern of two single-character groups: scans left to right and
// resumes after each match, so matches never overlap ("a.,b" splits only ".").
// Works on bytes for 13a (its classes are ASCII and a multi-byte character can
// never form half of a match) and on code points for intl.
template <typename String, typename First, typename Second>
void substitute_pairs(const String& in, String& out, First first, Second second,
                      PairSpacing spacing) {
  out.clear();
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 1 < n && first(in[i]) && second(in[i + 1])) {
      if (spacing == PairSpacing::kBeforeBoth) out.push_back(' ');
      out.push_back(in[i]);
      out.push_back(' ');
      out.push_back(in[i + 1]);
      if (spacing == PairSpacing::kAfterBoth) out.push_back(' ');
      i += 2;
    } else {
      out.push_back(in[i]);
      ++i;
    }
  }
}

// re.sub(r'(C)', r' \1 '): one-character pattern, so every match is surrounded.
template <typename String, typename Class>
void surround(const String& in, String& out, Class in_class) {
  out.clear();
  for (const auto c : in) {
    if (in_class(c)) {
      out.push_back(' ');
      out.push_back(c);
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

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

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  std::size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

bool is_ascii_digit(char32_t c) { return c >= '0' && c <= '9'; }

// The first 13a class: [\{-\~\[-\` -\&\(-\+\:-\@\/]
bool is_13a_symbol(char c) {
  const auto b = static_cast<unsigned char>(c);
  return (b >= 0x7B && b <= 0x7E) || (b >= 0x5B && b <= 0x60) || (b >= 0x20 && b <= 0x26) ||
         (b >= 0x28 && b <= 0x2B) || (b >= 0x3A && b <= 0x40) || b == 0x2F;
}

void tokenize_13a(std::string_view line, std::string& out) {
  // Buffers reused across lines: tokenizing is the hot path of corpus BLEU.
  thread_local std::string text, scratch;
  // mteval-v13a's language-independent part.
  text.assign(line);
  replace_all(text, "<skipped>", "");
  replace_all(text, "-\n", "");
  replace_all(text, "\n", " ");
  if (text.find('&') != std::string::npos) {
    replace_all(text, "&quot;", "\"");
    replace_all(text, "&amp;", "&");
    replace_all(text, "&lt;", "<");
    replace_all(text, "&gt;", ">");
  }
  text.insert(text.begin(), ' ');
  text.push_back(' ');

  const auto digit = [](char c) { return is_ascii_digit(static_cast<unsigned char>(c)); };
  const auto not_digit = [&](char c) { return !digit(c); };
  const auto period_or_comma = [](char c) { return c == '.' || c == ','; };
  const auto dash = [](char c) { return c == '-'; };

  surround(text, scratch, is_13a_symbol);
  substitute_pairs(scratch, text, not_digit, period_or_comma, PairSpacing::kAfterBoth);
  substitute_pairs(text, scratch, period_or_comma, not_digit, PairSpacing::kBeforeBoth);
  substitute_pairs(scratch, text, digit, dash, PairSpacing::kAfterBoth);
  join_python_words(text, out);
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

void tokenize(TokenizerKind kind, std::string_view line, std::string& out) {
  switch (kind) {
    case TokenizerKind::kNone: out.assign(line); return;
    case TokenizerKind::k13a: tokenize_13a(line, out); return;
    case TokenizerKind::kIntl: tokenize_intl(line, out); return;
    case TokenizerKind::kChar: tokenize_char(line, out); return;
  }
}

}  // namespace nmt::eval
