#pragma once
// The score a search ranks a finished hypothesis by (see LengthNormalization).

#include <string>

#include "nmt/decoder/decoding_options.h"

namespace nmt {

// length: output tokens + 1 (the </s>).
float normalized_score(float log_probability, int length, const DecodingOptions& options);

// The best score a live hypothesis of `length` (tokens + 1 so far) can still
// reach when it may grow to max_length (tokens + 1): log-probabilities only
// fall as tokens are added, so only the length factor can help it.
float best_reachable_score(float log_probability, int length, int max_length,
                           const DecodingOptions& options);

// "none", "wu", "avg" (OpenNMT-py's names) <-> the enum; parsing throws nmt::Error otherwise.
LengthNormalization parse_length_normalization(const std::string& name);
const char* to_string(LengthNormalization normalization);

}  // namespace nmt
