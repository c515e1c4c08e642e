#pragma once
// Length-bucketed batch plans. oneDNN's LSTM has no per-sequence length, so
// every batch holds sentences of one source length: the encoder's final state
// is then each sentence's own last token.

#include <cstdint>
#include <vector>

#include "nmt/model/batch.h"
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

}  // namespace nmt
