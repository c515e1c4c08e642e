#pragma once
// Batches for inference (translating, scoring): the encoder runs one source
// length per batch, so sentences are grouped by source length and each group
// is cut into batches.

#include <cstddef>
#include <vector>

namespace nmt {

struct BatchLimits {
  int sentences = 64;  // at most this many sentences per batch ...
  int tokens = 0;      // ... and, when > 0, at most this many source tokens (at least one sentence)
};

// Indices into source_lengths, grouped by length (shortest first, input order
// within a length) and cut within limits. Length-0 sources are left out: there
// is nothing to encode.
std::vector<std::vector<std::size_t>> source_batches(const std::vector<std::size_t>& source_lengths,
                                                     const BatchLimits& limits);

}  // namespace nmt
