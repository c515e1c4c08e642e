#include "nmt/decoder/search/greedy_search.h"

#include <algorithm>

#include "nmt/decoder/search/length_normalization.h"
#include "nmt/layers/softmax_cross_entropy.h"

namespace nmt {

std::vector<std::vector<Hypothesis>> GreedySearch::search(Decoder& decoder, const DecoderState& start,
                                                          const std::vector<int>& max_lengths,
                                                          const DecodingOptions& options) {
  const int batch = start.rows();
  const int end_id = decoder.end_id();
  std::vector<Hypothesis> best(static_cast<std::size_t>(batch));
  std::vector<bool> finished(static_cast<std::size_t>(batch), false);
  std::vector<int> previous(static_cast<std::size_t>(batch), decoder.start_id());
  const int vocab = decoder.output_size();
  const std::vector<int>* columns = decoder.output_tokens();
  DecoderState state = start;
  int unfinished = batch;
  // A limit counts output tokens; one more step may produce </s>.
  const int longest = batch > 0 ? *std::max_element(max_lengths.begin(), max_lengths.end()) : 0;
  for (int step = 0; step <= longest && unfinished > 0; ++step) {
    Tensor& logits = decoder.step(state, previous.data(), state);
    layers::log_softmax(logits.data(), batch, vocab);
    for (int n = 0; n < batch; ++n) {
      if (finished[n]) continue;  // keeps stepping with the batch; its output is ignored
      const float* row = logits.data() + static_cast<std::size_t>(n) * vocab;
      // At the length limit only </s> may follow.
      const int column = step == max_lengths[n] ? decoder.end_column()
                                                : static_cast<int>(std::max_element(row, row + vocab) - row);
      const int token = columns ? (*columns)[static_cast<std::size_t>(column)] : column;
      best[n].log_probability += row[column];
      previous[n] = token;
      if (options.attention_history) {
        const Tensor& weights = decoder.step_attention_weights();
        const float* weight = weights.data() + static_cast<std::size_t>(n) * weights.dim(1);
        best[n].attention.emplace_back(weight, weight + state.source_length(n));
      }
      if (token == end_id) {
        finished[n] = true;
        --unfinished;
      } else {
        best[n].tokens.push_back(token);
      }
    }
  }
  std::vector<std::vector<Hypothesis>> result;
  for (auto& hypothesis : best) {
    const int length = static_cast<int>(hypothesis.tokens.size()) + 1;
    hypothesis.score = normalized_score(hypothesis.log_probability, length, options);
    result.push_back({std::move(hypothesis)});
  }
  return result;
}

}  // namespace nmt
