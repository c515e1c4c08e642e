#include "nmt/decoder/search/greedy_search.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "nmt/decoder/search/length_normalization.h"
#include "nmt/layers/softmax_cross_entropy.h"

namespace nmt {

std::vector<std::vector<Hypothesis>> GreedySearch::search(Decoder& decoder, const DecoderState& start,
                                                          const std::vector<int>& max_lengths,
                                                          const DecodingOptions& options) {
  const int batch = start.rows();
  const int end_id = decoder.end_id();
  std::vector<Hypothesis> best(static_cast<std::size_t>(batch));
  const int vocab = decoder.output_size();
  const std::vector<int>* columns = decoder.output_tokens();
  // Row r of the state decodes sentence sentence_of[r], or pads (-1, a copy
  // of a live row whose output is ignored) once rows have been compacted.
  std::vector<int> sentence_of(static_cast<std::size_t>(batch));
  std::iota(sentence_of.begin(), sentence_of.end(), 0);
  std::vector<int> previous(static_cast<std::size_t>(batch), decoder.start_id());
  DecoderState state = start, compacted;
  std::vector<int> origins, live_sentences, live_previous, columns_of;
  std::vector<float> log_probs;
  int unfinished = batch;
  // A limit counts output tokens; one more step may produce </s>.
  const int longest = batch > 0 ? *std::max_element(max_lengths.begin(), max_lengths.end()) : 0;
  for (int step = 0; step <= longest && unfinished > 0; ++step) {
    const int rows = state.rows();
    const Tensor& logits = decoder.step(state, previous.data(), state);
    columns_of.resize(static_cast<std::size_t>(rows));
    log_probs.resize(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      const int n = sentence_of[static_cast<std::size_t>(r)];
      // At the length limit only </s> may follow.
      columns_of[r] = n < 0 ? layers::kSkipRow : step == max_lengths[n] ? decoder.end_column() : layers::kBestColumn;
    }
    layers::pick_log_probabilities(logits.data(), rows, vocab, columns_of.data(), log_probs.data());
    for (int r = 0; r < rows; ++r) {
      const int n = sentence_of[static_cast<std::size_t>(r)];
      if (n < 0) continue;
      const int column = columns_of[r];
      const int token = columns ? (*columns)[static_cast<std::size_t>(column)] : column;
      best[n].log_probability += log_probs[r];
      previous[r] = token;
      if (options.attention_history) {
        const Tensor& weights = decoder.step_attention_weights();
        const float* weight = weights.data() + static_cast<std::size_t>(r) * weights.dim(1);
        best[n].attention.emplace_back(weight, weight + state.source_length(r));
      }
      if (token == end_id) {
        sentence_of[r] = -1;
        --unfinished;
      } else {
        best[n].tokens.push_back(token);
      }
    }
    if (unfinished == 0 || compacted_row_count(unfinished) >= rows) continue;
    origins.clear();
    for (int r = 0; r < rows; ++r)
      if (sentence_of[static_cast<std::size_t>(r)] >= 0) origins.push_back(r);
    origins.resize(static_cast<std::size_t>(compacted_row_count(unfinished)), origins.front());
    live_sentences.assign(origins.size(), -1);
    live_previous.resize(origins.size());
    for (std::size_t r = 0; r < origins.size(); ++r) {
      if (r < static_cast<std::size_t>(unfinished)) live_sentences[r] = sentence_of[origins[r]];
      live_previous[r] = previous[origins[r]];
    }
    state.gather(origins, compacted);
    std::swap(state, compacted);
    sentence_of.swap(live_sentences);
    previous.swap(live_previous);
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
