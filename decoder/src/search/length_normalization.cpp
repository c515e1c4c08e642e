#include "nmt/decoder/search/length_normalization.h"

#include <algorithm>
#include <cmath>

#include "nmt/core/error.h"

namespace nmt {

float normalized_score(float log_probability, int length, const DecodingOptions& options) {
  switch (options.length_normalization) {
    case LengthNormalization::none:
      return log_probability;
    case LengthNormalization::gnmt:
      if (options.length_penalty == 0.0f) return log_probability;
      return log_probability /
             std::pow((5.0f + static_cast<float>(length)) / 6.0f, options.length_penalty);
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
  if (name == "gnmt") return LengthNormalization::gnmt;
  if (name == "average") return LengthNormalization::average;
  throw Error("unknown length normalization '" + name + "' (none, gnmt or average)");
}

const char* to_string(LengthNormalization normalization) {
  switch (normalization) {
    case LengthNormalization::none: return "none";
    case LengthNormalization::gnmt: return "gnmt";
    case LengthNormalization::average: return "average";
  }
  return "?";
}

}  // namespace nmt
