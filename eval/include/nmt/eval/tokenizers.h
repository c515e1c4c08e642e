#pragma once
// sacreBLEU's BLEU tokenizers (none, 13a, intl, char), reproduced output for
// output: the tokenized string decides which n-grams exist, so any difference
// here changes scores.

#include <string>
#include <string_view>
#include <vector>

namespace nmt::eval {

enum class TokenizerKind { kNone, k13a, kIntl, kChar };

// "none", "13a", "intl", "char"; throws std::invalid_argument naming the choices.
TokenizerKind parse_tokenizer(std::string_view name);

// The name used in signatures ("13a", ...).
const char* tokenizer_name(TokenizerKind kind);

// Tokenizes one line (valid UTF-8) into out (cleared first). Tokens are
// separated by single spaces, except for `none` and `char`, which keep the
// spacing of the input as sacreBLEU does.
void tokenize(TokenizerKind kind, std::string_view line, std::string& out);

// A line as BLEU counts it: the tokenized text and its words (views into text).
struct TokenizedLine {
  std::string text;
  std::vector<std::string_view> words;
};

// tokenize() followed by Python's split(); for 13a without building the
// intermediate strings of its passes.
void tokenize_words(TokenizerKind kind, std::string_view line, TokenizedLine& out);

inline std::string tokenize(TokenizerKind kind, std::string_view line) {
  std::string out;
  tokenize(kind, line, out);
  return out;
}

}  // namespace nmt::eval
