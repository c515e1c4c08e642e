#include "nmt/decoder/search/decode.h"

#include <string>

#include "nmt/core/error.h"
#include "nmt/decoder/search/beam_search.h"
#include "nmt/decoder/search/greedy_search.h"

namespace nmt {

std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const DecoderState& start,
                                            const std::vector<int>& max_lengths, const DecodingOptions& options) {
  validate(options);
  if (options.attention_history && !decoder.has_attention())
    throw Error("attention weights were asked for, but the model has no attention");
  if (max_lengths.size() != static_cast<std::size_t>(start.rows()))
    throw Error("decode: " + std::to_string(max_lengths.size()) + " length limits for " +
                std::to_string(start.rows()) + " sentences");
  if (options.beam_size == 1) return GreedySearch().search(decoder, start, max_lengths, options);
  return BeamSearch().search(decoder, start, max_lengths, options);
}

}  // namespace nmt
