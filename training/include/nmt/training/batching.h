#pragma once
// Length-bucketed batches. oneDNN's LSTM has no per-sequence length, so every
// batch holds sentences of one source length: the encoder's final state is then
// each sentence's own last token. Targets differ in length and are right-padded;
// the loss masks the padding.

#include <cstdint>
#include <vector>

#include "nmt/training/parallel_corpus.h"

namespace nmt {

struct BatchingOptions {
  int batch_sentences = 64;  // at most this many sentences per batch
  int batch_tokens = 0;      // if > 0: at most this many padded target tokens per batch
};

// Indices into ParallelCorpus::pairs, all with the same source length.
using BatchIndices = std::vector<std::size_t>;

// The batches of one epoch, in training order. The same (corpus, options, seed,
// epoch) always gives the same plan, so a resumed run can find its place again
// from the epoch and the batch number alone.
std::vector<BatchIndices> plan_epoch(const std::vector<SentencePair>& pairs,
                                     const BatchingOptions& options, std::uint64_t seed,
                                     std::uint64_t epoch);

// A batch laid out time-major ([time][sentence]), as the LSTM primitives read it.
struct Batch {
  int batch_size = 0;
  int source_length = 0;
  int target_length = 0;           // longest target + 1 (for <s> or </s>)
  std::vector<int> source;         // [source_length][batch_size]
  std::vector<int> target_input;   // [target_length][batch_size]: <s> y1 .. yn <pad>...
  std::vector<int> target_output;  // [target_length][batch_size]: y1 .. yn </s> <pad>...
  int target_tokens = 0;           // non-padding entries of target_output
};

// reverse_source: feed the source backwards (Sutskever et al., 2014).
Batch make_batch(const std::vector<SentencePair>& pairs, const BatchIndices& indices,
                 bool reverse_source);

}  // namespace nmt
