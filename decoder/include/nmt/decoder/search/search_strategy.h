#pragma once
// Search for the best output of each sentence of a batch from the decoder's
// start state. Implementations: GreedySearch, BeamSearch; decode() (decode.h)
// checks the options and picks one.

#include <vector>

#include "nmt/decoder/decoder.h"
#include "nmt/decoder/decoder_state.h"
#include "nmt/decoder/decoding_options.h"

namespace nmt {

struct Hypothesis {
  std::vector<int> tokens;  // without <s> and </s>
  float log_probability = 0;  // sum over the tokens and the final </s>
  float score = 0;            // what the search ranked by (length-normalized)
  // With DecodingOptions::attention_history: one row per token and one for
  // the final </s>, each the attention weights over the sentence's source
  // positions in the order the encoder read them (summing to 1).
  std::vector<std::vector<float>> attention;
};

class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  // start: one row per sentence (Decoder::start); max_lengths: each
  // sentence's longest output (sentences of several source lengths can share
  // a decoder batch); options as validate() accepts them. Returns one list of
  // hypotheses per sentence, best first.
  virtual std::vector<std::vector<Hypothesis>> search(Decoder& decoder, const DecoderState& start,
                                                      const std::vector<int>& max_lengths,
                                                      const DecodingOptions& options) = 0;
};

}  // namespace nmt
