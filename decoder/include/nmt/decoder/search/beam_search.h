#pragma once
// Beam search: every sentence keeps beam_size live hypotheses; one decoder
// step advances all of them, for all sentences of the batch, at once
// (batch * beam_size rows). After each step the surviving beams' states are
// gathered by origin (DecoderState::gather), not recomputed; with attention a
// row reads its sentence's encoder outputs through the state's row -> sentence
// index, so they are never copied per beam.
//
// Each step ranks, per sentence, every extension of every live beam by its
// log-probability. Among the best 2K candidates (K = beam_size), a </s> in
// the first K finishes a hypothesis; the first K others become the next
// beams (so K stay live, as in fairseq). Ties go to the lower beam, then the
// lower token id, so that K = 1 takes exactly greedy search's choices.
//
// A sentence is done when K hypotheses have finished (CTranslate2's and
// Marian's rule), or earlier when n_best have finished and no live beam can
// still beat the n_best-th of them (best_reachable_score), or at the length
// limit, where every live beam is finished with </s>. The search stops when
// every sentence of the batch is done. Done sentences leave the batch: the
// rows of the others are gathered into fewer (compacted_row_count sentences
// of K rows each), so later steps cost what the live sentences need.

#include "nmt/decoder/search/search_strategy.h"

namespace nmt {

class BeamSearch : public SearchStrategy {
 public:
  // Up to options.n_best hypotheses per sentence, best score first. With
  // options.attention_history each keeps the weights of its own tokens,
  // followed back through the beams it descends from.
  std::vector<std::vector<Hypothesis>> search(Decoder& decoder, const DecoderState& start,
                                              const std::vector<int>& max_lengths,
                                              const DecodingOptions& options) override;
};

}  // namespace nmt
