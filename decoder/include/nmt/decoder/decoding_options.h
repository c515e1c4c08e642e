#pragma once
// How to search for translations: a plain struct of defaults.

namespace nmt {

struct DecodingOptions {
  int beam_size = 1;             // 1 = greedy search
  float length_penalty = 0.0f;   // GNMT alpha; 0 = raw log-probability
  float max_length_ratio = 2.0f; // output at most ratio * source length + 5 tokens ...
  int max_length = 250;          // ... and never more than this
};

// The longest output allowed for a source of the given length.
inline int max_output_length(const DecodingOptions& options, int source_length) {
  const int by_ratio = static_cast<int>(options.max_length_ratio * static_cast<float>(source_length)) + 5;
  return by_ratio < options.max_length ? by_ratio : options.max_length;
}

}  // namespace nmt
