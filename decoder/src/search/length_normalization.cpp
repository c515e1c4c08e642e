#include "nmt/decoder/search/length_normalization.h"

#include <algorithm>
#include <cmath>

#include "nmt/core/error.h"

namespace nmt {

float normalized_score(float log_probability, int length, const DecodingOptions& options) {
  switch (options.length_normalization) {
    case LengthNormalization::none:
      return log_probability;
    case LengthNormalization::wu:
      if (options.alpha == 0.0f) return log_probability;
      return log_probability /
             std::pow((5.0f + static_cast<float>(length)) / 6.0f, options.alpha);
    case LengthNormalization::average:
      return log_probability / static_cast<float>(length);
  }
  return log_probability;
}

float best_reachable_score(float log_probability, int length, int max_length,
                           const DecodingOptions& options) {
  // lp <= 0 and each normalization divides by a factor monotone in the length,
  // so the best is at one end of the lengths still possible.
  return std::max(normalized_score(log_probability, length, options),
                  normalized_score(log_probability, std::max(length, max_length), options));
}

LengthNormalization parse_length_normalization(const std::string& name) {
  if (name == "none") return LengthNormalization::none;
  if (name == "wu") return LengthNormalization::wu;
  if (name == "avg") return LengthNormalization::average;
  throw Error("unknown length penalty '" + name + "' (none, wu or avg)");
}

const char* to_string(LengthNormalization normalization) {
  switch (normalization) {
    case LengthNormalization::none: return "none";
    case LengthNormalization::wu: return "wu";
    case LengthNormalization::average: return "avg";
  }
  return "?";
}

}  // namespace nmt
