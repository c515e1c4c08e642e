#pragma once
// What one search step of the decoder starts from and hands on: the whole
// recurrent state of the rows being decoded, held by the search rather than
// inside the Decoder. A row is one hypothesis: one per sentence in greedy
// search, beam_size per sentence in beam search.

#include <memory>
#include <vector>

#include "nmt/core/tensor.h"
#include "nmt/layers/attention.h"

namespace nmt {

struct DecoderState {
  // Per layer, [N, H]: the LSTM's h and c of each of the N rows.
  std::vector<Tensor> h, c;
  // With attention: the encoder outputs of the batch's N' sentences with their
  // lengths, shared by every state derived from the first one (null without
  // attention) ...
  std::shared_ptr<const layers::AttentionSource> source;
  // ... and [N]: the sentence each row reads, so that beams of one sentence
  // read its outputs in place rather than copies of them.
  std::vector<int> source_rows;

  int rows() const { return h.empty() ? 0 : static_cast<int>(h.front().dim(0)); }
  // The attended source length of row r.
  int source_length(int r) const;

  // into row r = this state's row origins[r] (a surviving beam carries on from
  // its parent; the first beam step repeats each sentence's row beam_size
  // times). into keeps its buffers when the shapes stay; it may not be this.
  void gather(const std::vector<int>& origins, DecoderState& into) const;
};

// The row count a search compacts its live rows to once rows have finished:
// the smallest of 1, 2, 3, 4, 6, 8, 12, 16, 24, ... (powers of two and 1.5
// times them) that holds `live` rows. Finished rows that keep stepping with
// the batch cost as much as live ones (half the row-steps of greedy search on
// length-sorted batches of 64), while every new row count makes the layers
// create primitives of their own: few counts, at most a third of them padding.
int compacted_row_count(int live);

}  // namespace nmt
