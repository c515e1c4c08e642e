#include "nmt/model/scorer.h"

#include <limits>

#include "nmt/layers/softmax_cross_entropy.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

namespace {
constexpr int kNoTargetToIgnore = -1;
}  // namespace

Scorer::Scorer(Seq2SeqModel& network) : network_(network) {}

std::vector<float> Scorer::score_ids(const std::vector<SentencePair>& pairs, const BatchLimits& limits) {
  std::vector<float> scores(pairs.size(), 0.0f);
  std::vector<std::size_t> source_lengths;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    source_lengths.push_back(pairs[i].source.size());
    if (pairs[i].source.empty() && !pairs[i].target.empty())
      scores[i] = -std::numeric_limits<float>::infinity();
  }
  const bool reverse = network_.config().reverse_source;
  Encoder& encoder = network_.encoder();
  Decoder& decoder = network_.decoder();
  for (const auto& indices : plan_inference_batches(source_lengths, limits, true)) {
    const Batch batch = make_batch(pairs, indices, reverse);
    encoder.forward(batch.source.data(), batch.source_length, batch.batch_size, false);
    if (network_.config().attention) {
      source_lengths_.assign(static_cast<std::size_t>(batch.batch_size), batch.source_length);
      decoder.attend_to(encoder.outputs(), source_lengths_);
    }
    const Tensor& logits = decoder.forward(batch.target_input.data(), batch.target_length,
                                           batch.batch_size, encoder.context(), false);
    const int rows = batch.target_length * batch.batch_size;
    token_log_probs_.resize(static_cast<std::size_t>(rows));
    layers::target_log_probabilities(logits.data(), batch.target_output.data(), rows,
                                     decoder.vocab_size(), kNoTargetToIgnore, token_log_probs_.data());
    // Summed in time order, as a search sums them. Padding is skipped by
    // length, not by id: a search may output <pad> like any other token.
    for (int b = 0; b < batch.batch_size; ++b) {
      float sum = 0.0f;
      const int length = static_cast<int>(pairs[indices[b]].target.size()) + 1;
      for (int t = 0; t < length; ++t)
        sum += token_log_probs_[static_cast<std::size_t>(t) * batch.batch_size + b];
      scores[indices[b]] = sum;
    }
  }
  return scores;
}

}  // namespace nmt
