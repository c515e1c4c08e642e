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
  // context: one (h, c) per layer for batch sentences; max_lengths: each
  // sentence's longest output (sentences of several source lengths can share
  // a decoder batch). Returns one list of hypotheses per sentence, best first.
  virtual std::vector<std::vector<Hypothesis>> search(Decoder& decoder, const Context& context,
                                                      int batch, const std::vector<int>& max_lengths,
                                                      const DecodingOptions& options) = 0;
  // The same limit for every sentence.
  std::vector<std::vector<Hypothesis>> search(Decoder& decoder, const Context& context, int batch,
                                              int max_length, const DecodingOptions& options) {
    return search(decoder, context, batch, std::vector<int>(static_cast<std::size_t>(batch), max_length),
                  options);
  }
};

}  // namespace nmt
