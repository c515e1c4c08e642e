#include "nmt/model/scorer.h"

#include <limits>

#include "nmt/layers/softmax_cross_entropy.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

Scorer::Scorer(Seq2SeqModel& network) : network_(network) {}

std::vector<float> Scorer::score_ids(const std::vector<SentencePair>& pairs, const BatchLimits& limits) {
  std::vector<float> scores(pairs.size(), 0.0f);
  // A language model reads targets only: every line is scored (an empty one
  // by the probability of </s>), in batches of one target length.
  const bool language_model = !network_.config().has_encoder();
  std::vector<std::size_t> lengths;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    lengths.push_back(language_model ? pairs[i].target.size() + 1 : pairs[i].source.size());
    if (!language_model && pairs[i].source.empty() && !pairs[i].target.empty())
      scores[i] = -std::numeric_limits<float>::infinity();
  }
  const bool reverse = network_.config().reverse_source;
  Decoder& decoder = network_.decoder();
  for (const auto& indices : plan_inference_batches(lengths, limits, true)) {
    const Batch batch = make_batch(pairs, indices, reverse);
    if (!language_model) {
      Encoder& encoder = network_.encoder();
      encoder.forward(batch.source.data(), batch.source_length, batch.batch_size, false);
      if (network_.config().attention) {
        source_lengths_.assign(static_cast<std::size_t>(batch.batch_size), batch.source_length);
        decoder.attend_to(encoder.outputs(), source_lengths_);
      }
    }
    const Tensor& logits = decoder.forward(batch.target_input.data(), batch.target_length,
                                           batch.batch_size, network_.decoder_context(), false, &batch.output_rows);
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
