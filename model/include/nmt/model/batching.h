#pragma once
// Batching, in one place: what the model reads (sentence pairs as subword ids,
// laid out time-major), the limits on a batch, and the two planners that cut a
// corpus into batches.
//
// oneDNN's LSTM has no per-sequence length, so the encoder runs over sources
// of one length at a time: its final state is then each sentence's own last
// token. Training batches therefore hold one source length each (shuffled
// buckets). Translation batches may mix source lengths: the translator
// encodes them in runs of one length and the decoder reads the stacked
// contexts (and, with attention, the padded encoder outputs under a mask).
// Targets differ in length and are right-padded; the loss masks the padding.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt {

struct SentencePair {
  std::vector<int> source;  // subword ids, no <s> or </s>
  std::vector<int> target;
};

struct BatchLimits {
  int sentences = 64;  // at most this many sentences per batch ...
  // ... and, when > 0, at most this many tokens (a batch has at least one
  // sentence): padded target tokens in training, where the decoder's output
  // projection dominates the cost; source tokens in translation and scoring,
  // where the output is not known beforehand.
  int tokens = 0;
};

// Indices into the corpus (pairs or source lengths) of one batch.
using BatchIndices = std::vector<std::size_t>;

// The training batches of one epoch, in training order: pairs bucketed by
// source length (pairs without a source, a language model's, by target
// length), each bucket shuffled, ordered by target length and cut within
// limits, then all batches shuffled. The same (pairs, limits, seed, epoch) always gives the same plan,
// so a resumed run finds its place again from the epoch and batch number.
std::vector<BatchIndices> plan_training_batches(const std::vector<SentencePair>& pairs, const BatchLimits& limits,
                                                std::uint64_t seed, std::uint64_t epoch);

// Batches for translation and scoring: sources by length (shortest first,
// input order within a length), cut within limits; with one_length_per_batch
// a batch also never spans two source lengths. Length-0 sources are left out:
// there is nothing to encode.
std::vector<BatchIndices> plan_inference_batches(const std::vector<std::size_t>& source_lengths,
                                                 const BatchLimits& limits, bool one_length_per_batch);

// A batch laid out time-major ([time][sentence]), as the LSTM primitives read it.
struct Batch {
  int batch_size = 0;
  int source_length = 0;
  int target_length = 0;           // longest target + 1 (for <s> or </s>)
  std::vector<int> source;         // [source_length][batch_size]
  std::vector<int> target_input;   // [target_length][batch_size]: <s> y1 .. yn <pad>...
  std::vector<int> target_output;  // [target_length][batch_size]: y1 .. yn </s> <pad>...
  int target_tokens = 0;           // non-padding entries of target_output
  // The rows t * batch_size + n of target_output that hold a token (by each
  // target's length, not by id), in row order, and those tokens: the output
  // projection and the loss run over these rows only, never over padding.
  std::vector<int> output_rows;    // [target_tokens]
  std::vector<int> output_ids;     // [target_tokens]
};

// Sources of one length, time-major ([time][sentence]) into out; reversed in
// time if reverse_source. Throws nmt::Error if the lengths differ.
void layout_sources(const std::vector<const std::vector<int>*>& sources, bool reverse_source,
                    std::vector<int>& out);

// Pairs of one source length; reverse_source: feed the source backwards
// (Sutskever et al., 2014).
Batch make_batch(const std::vector<SentencePair>& pairs, const BatchIndices& indices, bool reverse_source);

}  // namespace nmt
