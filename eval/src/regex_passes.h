#pragma once
// The re.sub() passes of sacreBLEU's 13a and intl tokenizers over one string:
// bytes for 13a (its classes are ASCII and a multi-byte character can never
// form half of a match), code points for intl. Private to nmt_eval.

#include <cstddef>

namespace nmt::eval::detail {

// Where a two-character rule puts its spaces: re.sub(r'(A)(B)', r'\1 \2 ') or
// re.sub(r'(A)(B)', r' \1 \2').
enum class PairSpacing { kAfterBoth, kBeforeBoth };

// re.sub for a pattern of two single-character groups: scans left to right and
// resumes after each match, so matches never overlap ("a.,b" splits only ".").
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

}  // namespace nmt::eval::detail
