#pragma once
// How to search for translations: a plain struct of defaults.

namespace nmt {

// What a search ranks finished hypotheses by, given their log-probability lp
// and length n (output tokens + 1 for </s>, whose probability lp includes).
// Named as OpenNMT-py's -length_penalty:
//   none:    lp
//   wu:      lp / ((5 + n)^alpha / 6^alpha)   (Wu et al., 2016, GNMT)
//   average: lp / n                         ("avg")
// Without normalization beam search favors short outputs: every token lowers lp.
enum class LengthNormalization { none, wu, average };

struct DecodingOptions {
  int beam_size = 1;             // 1 = greedy search
  int n_best = 1;                // hypotheses returned per sentence, at most beam_size
  LengthNormalization length_normalization = LengthNormalization::wu;
  float alpha = 0.6f;            // of wu (Wu et al.'s choice); 0 = raw log-probability
  float max_length_ratio = 2.0f; // output at most ratio * source length + 5 tokens ...
  int max_length = 250;          // ... and never more than this
  int max_input_length = 0;      // longer sources are cut to this many subwords; 0 = no limit
  bool attention_history = false;  // keep each hypothesis's attention weights (needs attention)
};

// Throws nmt::Error for a beam size below 1 or an n-best list longer than the beam.
void validate(const DecodingOptions& options);

// The longest output allowed for a source of the given length.
inline int max_output_length(const DecodingOptions& options, int source_length) {
  const float by_ratio = options.max_length_ratio * static_cast<float>(source_length);
  // Compared before the cast: converting a float beyond int's range is
  // undefined (--max-length-ratio 1e9 gave INT_MIN, so empty translations).
  // For by_ratio >= 0, int(by_ratio) + 5 < max_length exactly when
  // by_ratio < max_length - 5. A NaN ratio gets max_length; a negative one
  // counts as 0.
  if (!(by_ratio < static_cast<float>(options.max_length) - 5.0f)) return options.max_length;
  if (!(by_ratio > 0.0f)) return options.max_length < 5 ? options.max_length : 5;
  return static_cast<int>(by_ratio) + 5;
}

}  // namespace nmt
