#pragma once
// The one entry point to search: checks the options once, then runs greedy
// search (beam size 1) or beam search.

#include <vector>

#include "nmt/decoder/decoder.h"
#include "nmt/decoder/decoder_state.h"
#include "nmt/decoder/decoding_options.h"
#include "nmt/decoder/search/search_strategy.h"

namespace nmt {

// start: one row per sentence (Decoder::start); max_lengths: each sentence's
// longest output. Throws nmt::Error for options validate() refuses, attention
// history from a decoder without attention, or max_lengths of another size.
std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const DecoderState& start,
                                            const std::vector<int>& max_lengths, const DecodingOptions& options);

}  // namespace nmt
