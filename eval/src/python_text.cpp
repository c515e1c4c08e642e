#include "nmt/eval/python_text.h"

#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <stdexcept>

namespace nmt::eval {

bool is_python_space(char32_t c) {
  if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
  switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// Only C2/E1/E2/E3 lead bytes can start a non-ASCII space, so ordinary text
// never pays for decoding.
std::size_t space_length_at(std::string_view text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) return is_python_space(byte) ? 1 : 0;
  if (byte != 0xC2 && (byte < 0xE1 || byte > 0xE3)) return 0;
  const std::size_t length = byte == 0xC2 ? 2 : 3;
  if (i + length > text.size()) return 0;
  char32_t c = byte == 0xC2 ? (byte & 0x1F) : (byte & 0x0F);
  for (std::size_t k = 1; k < length; ++k)
    c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return is_python_space(c) ? length : 0;
}

namespace {

// Start of the UTF-8 character that ends just before byte position end.
std::size_t previous_char_start(std::string_view text, std::size_t end) {
  std::size_t start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return start;
}

}  // namespace

std::string_view rstrip_python(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0) {
    const std::size_t start = previous_char_start(text, end);
    if (space_length_at(text, start) != end - start) break;
    end = start;
  }
  return text.substr(0, end);
}

void split_python(std::string_view text, std::vector<std::string_view>& words) {
  std::size_t i = 0;
  std::size_t word_start = std::string_view::npos;
  while (i < text.size()) {
    const std::size_t space = space_length_at(text, i);
    if (space > 0) {
      if (word_start != std::string_view::npos) {
        words.push_back(text.substr(word_start, i - word_start));
        word_start = std::string_view::npos;
      }
      i += space;
    } else {
      if (word_start == std::string_view::npos) word_start = i;
      ++i;
    }
  }
  if (word_start != std::string_view::npos) words.push_back(text.substr(word_start));
}

std::string lower_python(std::string_view text) {
  // ASCII lowercases to ASCII, byte for byte: no need for ICU.
  bool ascii = true;
  for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    std::string out(text);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  // Root locale (""): no Turkish/Lithuanian tailoring, like Python.
  std::u16string utf16(text.size(), u'\0');
  int32_t utf16_length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8(reinterpret_cast<UChar*>(utf16.data()), static_cast<int32_t>(utf16.size()),
                &utf16_length, text.data(), static_cast<int32_t>(text.size()), &status);
  if (U_FAILURE(status)) throw std::runtime_error("lowercasing: invalid UTF-8");
  utf16.resize(static_cast<std::size_t>(utf16_length));

  // Lowercasing can lengthen text (İ -> i + U+0307); retry once with the size ICU asks for.
  std::u16string lowered(utf16.size() + 8, u'\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    status = U_ZERO_ERROR;
    const int32_t needed = u_strToLower(
        reinterpret_cast<UChar*>(lowered.data()), static_cast<int32_t>(lowered.size()),
        reinterpret_cast<const UChar*>(utf16.data()), static_cast<int32_t>(utf16.size()), "",
        &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      lowered.assign(static_cast<std::size_t>(needed), u'\0');
      continue;
    }
    if (U_FAILURE(status)) throw std::runtime_error("lowercasing failed");
    lowered.resize(static_cast<std::size_t>(needed));
    break;
  }

  std::string out(lowered.size() * 3, '\0');
  int32_t out_length = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &out_length,
              reinterpret_cast<const UChar*>(lowered.data()), static_cast<int32_t>(lowered.size()),
              &status);
  if (U_FAILURE(status)) throw std::runtime_error("lowercasing: UTF-8 conversion failed");
  out.resize(static_cast<std::size_t>(out_length));
  return out;
}

std::size_t python_len(std::string_view text) {
  std::size_t length = 0;
  for (const char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return length;
}

void decode_utf8(std::string_view text, std::u32string& out) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    out.push_back(static_cast<char32_t>(c < 0 ? 0xFFFD : c));
  }
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace nmt::eval
