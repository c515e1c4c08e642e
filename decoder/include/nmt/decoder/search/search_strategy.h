#pragma once
// Search for the best output of each sentence of a batch, given the encoder's
// context. Implementations: GreedySearch, BeamSearch.

#include <vector>

#include "nmt/decoder/decoder.h"
#include "nmt/decoder/decoding_options.h"

namespace nmt {

struct Hypothesis {
  std::vector<int> tokens;  // without <s> and </s>
  float log_probability = 0;  // sum over the tokens and the final </s>
  float score = 0;            // what the search ranked by (length-normalized)
};

class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  // context: one (h, c) per layer for batch sentences. Returns one list of
  // hypotheses per sentence, best first.
  virtual std::vector<std::vector<Hypothesis>> search(Decoder& decoder, const Context& context,
                                                      int batch, int max_length,
                                                      const DecodingOptions& options) = 0;
};

}  // namespace nmt
