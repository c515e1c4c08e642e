#pragma once
// What the model reads: sentence pairs as subword ids, and batches of them laid
// out time-major. Targets differ in length and are right-padded; the loss
// masks the padding. Sources of one batch have one length (see
// training/batching.h for why).

#include <cstddef>
#include <vector>

namespace nmt {

struct SentencePair {
  std::vector<int> source;  // subword ids, no <s> or </s>
  std::vector<int> target;
};

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

// Sources of one length, time-major ([time][sentence]) into out; reversed in
// time if reverse_source. Throws nmt::Error if the lengths differ.
void layout_sources(const std::vector<const std::vector<int>*>& sources, bool reverse_source,
                    std::vector<int>& out);

// reverse_source: feed the source backwards (Sutskever et al., 2014).
Batch make_batch(const std::vector<SentencePair>& pairs, const std::vector<std::size_t>& indices,
                 bool reverse_source);

}  // namespace nmt
