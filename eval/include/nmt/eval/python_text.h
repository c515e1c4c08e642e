#pragma once
// The few Python `str` operations sacreBLEU's results depend on, with Python's
// exact semantics: what counts as whitespace for split()/rstrip(), and lower().
// Scores only match sacreBLEU when these agree character for character.

#include <string>
#include <string_view>
#include <vector>

namespace nmt::eval {

// Python's str.isspace() for one code point (Unicode White_Space as CPython
// defines it: bidi class WS/B/S or category Zs).
bool is_python_space(char32_t c);

// Length in bytes of the whitespace character starting at text[i] (valid
// UTF-8), or 0 when the character there is not whitespace.
std::size_t space_length_at(std::string_view text, std::size_t i);

// Python's line.rstrip(): drops trailing Unicode whitespace (valid UTF-8 assumed).
std::string_view rstrip_python(std::string_view text);

// Python's line.split() with no argument: splits on runs of Unicode whitespace,
// no empty fields. Views point into text. Appends to words (not cleared).
void split_python(std::string_view text, std::vector<std::string_view>& words);

// Python's str.lower(): full Unicode lowercasing (İ -> i̇, final sigma).
std::string lower_python(std::string_view text);

// Python's len() of a str: the number of code points (valid UTF-8 assumed).
std::size_t python_len(std::string_view text);

// Decodes valid UTF-8 into code points (appends to out).
void decode_utf8(std::string_view text, std::u32string& out);

// Appends the UTF-8 encoding of c.
void append_utf8(std::string& out, char32_t c);

}  // namespace nmt::eval
