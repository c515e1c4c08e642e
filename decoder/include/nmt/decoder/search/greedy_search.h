#pragma once
// Greedy search: at every step each sentence takes its most probable token,
// until </s> or the length limit. The batch's unfinished sentences advance in
// one decoder step; finished ones leave it (compacted_row_count).

#include "nmt/decoder/search/search_strategy.h"

namespace nmt {

class GreedySearch : public SearchStrategy {
 public:
  std::vector<std::vector<Hypothesis>> search(Decoder& decoder, const DecoderState& start,
                                              const std::vector<int>& max_lengths,
                                              const DecodingOptions& options) override;
};

}  // namespace nmt
