#pragma once
// The model's log-probability of given translations, by teacher forcing:
// log p(y | x) = sum over the target tokens and the final </s> of log p(y_t |
// y_<t, x). For a search's output this equals the log_probability the search
// reported, up to float rounding (the decoder runs all steps at once here,
// one at a time there).

#include <vector>

#include "nmt/model/batching.h"
#include "nmt/model/seq2seq_model.h"

namespace nmt {

class Scorer {
 public:
  explicit Scorer(Seq2SeqModel& network);

  // One log-probability per pair, in order. A pair with an empty source gets 0
  // when its target is empty and -inf otherwise: the translator's output for
  // an empty line is always the empty line.
  std::vector<float> score_ids(const std::vector<SentencePair>& pairs, const BatchLimits& limits);

 private:
  Seq2SeqModel& network_;
  std::vector<float> token_log_probs_;
  std::vector<float> sums_;  // per sentence of a batch
  std::vector<int> source_lengths_;  // one length per batch, for attention
};

}  // namespace nmt
