#include "nmt/model/scorer.h"

#include <limits>

#include "nmt/layers/softmax_cross_entropy.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

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
                                           batch.batch_size, encoder.context(), false, &batch.output_rows);
    const int rows = static_cast<int>(batch.output_rows.size());
    token_log_probs_.resize(static_cast<std::size_t>(rows));
    layers::target_log_probabilities(logits.data(), batch.output_ids.data(), rows, decoder.vocab_size(),
                                     layers::kNoTargetToIgnore, token_log_probs_.data());
    // Summed in time order (rows ascend in time), as a search sums them.
    // Padding is left out by length, not by id: a search may output <pad>
    // like any other token.
    sums_.assign(static_cast<std::size_t>(batch.batch_size), 0.0f);
    for (int i = 0; i < rows; ++i)
      sums_[static_cast<std::size_t>(batch.output_rows[static_cast<std::size_t>(i)] % batch.batch_size)] +=
          token_log_probs_[static_cast<std::size_t>(i)];
    for (int b = 0; b < batch.batch_size; ++b) scores[indices[b]] = sums_[static_cast<std::size_t>(b)];
  }
  return scores;
}

}  // namespace nmt
