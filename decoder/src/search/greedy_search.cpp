#include "nmt/decoder/search/greedy_search.h"

#include <algorithm>

#include "nmt/decoder/search/length_normalization.h"
#include "nmt/layers/softmax_cross_entropy.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

std::vector<std::vector<Hypothesis>> GreedySearch::search(Decoder& decoder, const Context& context,
                                                          int batch, const std::vector<int>& max_lengths,
                                                          const DecodingOptions& options) {
  std::vector<Hypothesis> best(static_cast<std::size_t>(batch));
  std::vector<bool> finished(static_cast<std::size_t>(batch), false);
  std::vector<int> previous(static_cast<std::size_t>(batch), kBosId);
  const int vocab = decoder.vocab_size();
  decoder.start(context);
  int unfinished = batch;
  // A limit counts output tokens; one more step may produce </s>.
  const int longest = batch > 0 ? *std::max_element(max_lengths.begin(), max_lengths.end()) : 0;
  for (int step = 0; step <= longest && unfinished > 0; ++step) {
    Tensor& logits = decoder.step(previous.data(), batch);
    layers::log_softmax(logits.data(), batch, vocab);
    for (int n = 0; n < batch; ++n) {
      if (finished[n]) continue;  // keeps stepping with the batch; its output is ignored
      const float* row = logits.data() + static_cast<std::size_t>(n) * vocab;
      // At the length limit only </s> may follow.
      const int token = step == max_lengths[n]
                            ? kEosId
                            : static_cast<int>(std::max_element(row, row + vocab) - row);
      best[n].log_probability += row[token];
      previous[n] = token;
      if (token == kEosId) {
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
