#include "nmt/decoder/search/beam_search.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "nmt/decoder/search/length_normalization.h"
#include "nmt/layers/softmax_cross_entropy.h"

namespace nmt {

namespace {

constexpr float kNoBeam = -std::numeric_limits<float>::infinity();

struct Beam {
  std::vector<int> tokens;
  float log_probability = kNoBeam;  // kNoBeam: an empty slot (fewer candidates than K)
  int trace = -1;                   // its last token in the AttentionTrace (-1: none)
};

// With attention history: the attention weights of every step, and for every
// token a beam took (</s> included) a back-pointer to its parent's token, so
// that a hypothesis's weights are found by walking back from its last token
// rather than copied along with every beam.
class AttentionTrace {
 public:
  explicit AttentionTrace(bool on) : on_(on) {}
  bool on() const { return on_; }
  // After each decoder step: its weights [rows, S].
  void add_step(const Tensor& weights) { steps_.push_back(weights); }
  // A token chosen from row `row`'s distribution at `step`, following parent's.
  int add_token(int parent, int step, int row) {
    if (!on_) return -1;
    tokens_.push_back({parent, step, row});
    return static_cast<int>(tokens_.size()) - 1;
  }
  // The weights over source positions 0 .. length - 1 of every token up to `last`.
  std::vector<std::vector<float>> history(int last, int length) const {
    std::vector<std::vector<float>> rows;
    for (int at = last; at >= 0; at = tokens_[static_cast<std::size_t>(at)].parent) {
      const Token& token = tokens_[static_cast<std::size_t>(at)];
      const Tensor& weights = steps_[static_cast<std::size_t>(token.step)];
      const float* row = weights.data() + static_cast<int64_t>(token.row) * weights.dim(1);
      rows.emplace_back(row, row + length);
    }
    std::reverse(rows.begin(), rows.end());
    return rows;
  }

 private:
  struct Token {
    int parent, step, row;
  };
  bool on_;
  std::vector<Tensor> steps_;
  std::vector<Token> tokens_;
};

struct Candidate {
  float log_probability;
  int index;  // beam * vocab + token
};

constexpr int kBlock = 64;

inline __attribute__((always_inline)) float block_max(const float* values, int count) {
  float max = values[0];
#pragma omp simd reduction(max : max)
  for (int j = 0; j < count; ++j) max = std::max(max, values[j]);
  return max;
}

// The best `count` extensions of a sentence's live beams, best first. Scanned
// in index order and inserted after equal ones: ties keep the lower index.
// Rows of log_probs are vocab apart; only columns [0, scored) are tokens (a
// shortlist's filler columns follow them). Built for AVX2 as well, picked at
// run time: the block maxima are most of a beam step's own work.
__attribute__((target_clones("avx2", "default"))) void best_candidates(const float* log_probs,
                                                                        const std::vector<Beam>& beams, int vocab,
                                                                        int scored, int count,
                                                                        std::vector<Candidate>& best) {
  best.clear();
  for (std::size_t k = 0; k < beams.size(); ++k) {
    const float base = beams[k].log_probability;
    if (base == kNoBeam) continue;
    const float* row = log_probs + k * static_cast<std::size_t>(vocab);
    for (int block = 0; block < scored; block += kBlock) {
      const int end = std::min(scored, block + kBlock);
      // Once the list is full, a block whose largest entry does not beat its
      // last is skipped whole (base + x rounds monotonically in x, so this
      // skips exactly the entries the scan below would): most blocks.
      const bool full = static_cast<int>(best.size()) == count;
      if (full && !(base + block_max(row + block, end - block) > best.back().log_probability)) continue;
      for (int token = block; token < end; ++token) {
        const float value = base + row[token];
        if (static_cast<int>(best.size()) == count && !(value > best.back().log_probability)) continue;
        const auto at = std::find_if(best.begin(), best.end(),
                                     [&](const Candidate& c) { return c.log_probability < value; });
        best.insert(at, {value, static_cast<int>(k) * vocab + token});
        if (static_cast<int>(best.size()) > count) best.pop_back();
      }
    }
  }
}

struct Finished {
  Hypothesis hypothesis;
  int trace;  // its </s> in the AttentionTrace
};

struct Sentence {
  std::vector<Beam> beams;
  std::vector<Finished> finished;
  int source_length = 0;  // with attention history
  bool done = false;
};

class BatchBeams {
 public:
  // columns: the token of each logit column (Decoder::output_tokens), or null
  // when the columns are the whole vocabulary.
  BatchBeams(const DecoderState& start, int start_id, int end_id, const std::vector<int>* columns, int end_column,
             const std::vector<int>& max_lengths, const DecodingOptions& options)
      : beam_size_(options.beam_size), end_id_(end_id), end_column_(end_column), columns_(columns),
        max_lengths_(max_lengths), options_(options),
        sentences_(static_cast<std::size_t>(start.rows())),
        previous_(sentences_.size() * static_cast<std::size_t>(beam_size_), start_id),
        origins_(previous_.size()), slot_of_(sentences_.size()), trace_(options.attention_history) {
    // One live beam to start with: K copies of <s> would fill the beam with
    // duplicates.
    for (std::size_t b = 0; b < sentences_.size(); ++b) {
      Sentence& sentence = sentences_[b];
      sentence.beams.resize(static_cast<std::size_t>(beam_size_));
      sentence.beams.front().log_probability = 0.0f;
      if (trace_.on()) sentence.source_length = start.source_length(static_cast<int>(b));
    }
    // The first step's rows: sentence b's start row, K times.
    for (std::size_t r = 0; r < origins_.size(); ++r) origins_[r] = static_cast<int>(r) / beam_size_;
    std::iota(slot_of_.begin(), slot_of_.end(), 0);
  }

  int undone() const {
    return static_cast<int>(std::count_if(sentences_.begin(), sentences_.end(),
                                          [](const Sentence& s) { return !s.done; }));
  }
  const std::vector<int>& previous() const { return previous_; }
  const std::vector<int>& origins() const { return origins_; }
  AttentionTrace& trace() { return trace_; }

  // log_probs: [batch * K, vocab] of the step that produced output token `step`,
  // of which columns [0, scored) are tokens.
  // Then drops the rows of sentences that are done (compacted_row_count).
  void advance(const float* log_probs, int vocab, int scored, int step) {
    const int K = beam_size_;
    std::iota(origins_.begin(), origins_.end(), 0);  // done sentences and padding carry on in place
    // The scan of K x V extensions per sentence is most of a step's own work:
    // sentences in parallel, then the beams updated in order.
    candidates_.resize(sentences_.size());
    const int sentences = static_cast<int>(sentences_.size());
#pragma omp parallel for schedule(dynamic, 4)
    for (int b = 0; b < sentences; ++b) {
      const Sentence& sentence = sentences_[static_cast<std::size_t>(b)];
      if (sentence.done || step == max_lengths_[static_cast<std::size_t>(b)]) continue;
      const float* rows = log_probs + static_cast<std::size_t>(slot_of_[b] * K) * vocab;
      best_candidates(rows, sentence.beams, vocab, scored, 2 * K, candidates_[static_cast<std::size_t>(b)]);
    }
    for (std::size_t b = 0; b < sentences_.size(); ++b) {
      Sentence& sentence = sentences_[b];
      if (sentence.done) continue;
      const int first_row = slot_of_[b] * K;
      const float* rows = log_probs + static_cast<std::size_t>(first_row) * vocab;
      const int max_length = max_lengths_[b];
      if (step == max_length) {
        finish_all(sentence, rows, vocab, first_row, step);
        continue;
      }
      const std::vector<Candidate>& candidates = candidates_[b];
      next_.clear();
      for (std::size_t rank = 0; rank < candidates.size(); ++rank) {
        const Candidate& c = candidates[rank];
        const int k = c.index / vocab, column = c.index % vocab;
        const int token = columns_ ? (*columns_)[static_cast<std::size_t>(column)] : column;
        const Beam& parent = sentence.beams[static_cast<std::size_t>(k)];
        if (column == end_column_) {
          if (rank < static_cast<std::size_t>(K))
            finish(sentence, parent, c.log_probability, trace_.add_token(parent.trace, step, first_row + k));
          continue;
        }
        if (static_cast<int>(next_.size()) == K) continue;
        origins_[first_row + static_cast<int>(next_.size())] = first_row + k;
        previous_[first_row + next_.size()] = token;
        next_.push_back({parent.tokens, c.log_probability, trace_.add_token(parent.trace, step, first_row + k)});
        next_.back().tokens.push_back(token);
      }
      for (std::size_t j = next_.size(); j < static_cast<std::size_t>(K); ++j) {
        previous_[first_row + j] = end_id_;  // an empty slot: its output is ignored
        next_.push_back({});
      }
      sentence.beams.swap(next_);
      sentence.done = is_done(sentence, step + 1, max_length);
    }
    compact();
  }

  std::vector<std::vector<Hypothesis>> results() {
    std::vector<std::vector<Hypothesis>> results;
    for (auto& sentence : sentences_) {
      auto& finished = sentence.finished;
      std::stable_sort(finished.begin(), finished.end(), [](const Finished& a, const Finished& b) {
        return a.hypothesis.score > b.hypothesis.score;
      });
      if (finished.size() > static_cast<std::size_t>(options_.n_best))
        finished.resize(static_cast<std::size_t>(options_.n_best));
      std::vector<Hypothesis> best;
      for (auto& entry : finished) {
        if (trace_.on()) entry.hypothesis.attention = trace_.history(entry.trace, sentence.source_length);
        best.push_back(std::move(entry.hypothesis));
      }
      results.push_back(std::move(best));
    }
    return results;
  }

 private:
  // The K rows of each sentence not done move to slots 0, 1, ... of the next
  // step, padded with copies of slot 0, when that makes fewer rows.
  void compact() {
    const int K = beam_size_, live = undone(), slots = static_cast<int>(origins_.size()) / K;
    if (live == 0 || compacted_row_count(live) >= slots) return;
    const auto rows = static_cast<std::size_t>(compacted_row_count(live) * K);
    kept_origins_.clear();
    kept_previous_.clear();
    for (std::size_t b = 0; b < sentences_.size(); ++b) {
      if (sentences_[b].done) continue;
      const auto first = origins_.begin() + slot_of_[b] * K;
      kept_origins_.insert(kept_origins_.end(), first, first + K);
      const auto tokens = previous_.begin() + slot_of_[b] * K;
      kept_previous_.insert(kept_previous_.end(), tokens, tokens + K);
      slot_of_[b] = static_cast<int>(kept_origins_.size()) / K - 1;
    }
    for (std::size_t r = kept_origins_.size(); r < rows; ++r) {
      kept_origins_.push_back(kept_origins_[r % static_cast<std::size_t>(K)]);
      kept_previous_.push_back(kept_previous_[r % static_cast<std::size_t>(K)]);
    }
    origins_.swap(kept_origins_);
    previous_.swap(kept_previous_);
  }

  // beam followed by </s>, whose trace entry is `trace`.
  void finish(Sentence& sentence, const Beam& beam, float log_probability, int trace) {
    const int length = static_cast<int>(beam.tokens.size()) + 1;
    sentence.finished.push_back(
        {{beam.tokens, log_probability, normalized_score(log_probability, length, options_), {}}, trace});
  }

  // At the length limit only </s> may follow.
  void finish_all(Sentence& sentence, const float* rows, int vocab, int first_row, int step) {
    for (std::size_t k = 0; k < sentence.beams.size(); ++k) {
      const Beam& beam = sentence.beams[k];
      if (beam.log_probability == kNoBeam) continue;
      finish(sentence, beam, beam.log_probability + rows[k * vocab + end_column_],
             trace_.add_token(beam.trace, step, first_row + static_cast<int>(k)));
    }
    sentence.done = true;
  }

  // tokens: the live beams' length after this step.
  bool is_done(const Sentence& sentence, int tokens, int max_length) const {
    const auto& finished = sentence.finished;
    if (finished.size() >= static_cast<std::size_t>(beam_size_)) return true;
    float best_live = kNoBeam;
    for (const Beam& beam : sentence.beams) best_live = std::max(best_live, beam.log_probability);
    if (best_live == kNoBeam) return true;
    const std::size_t n = static_cast<std::size_t>(options_.n_best);
    if (finished.size() < n) return false;
    std::vector<float> scores;
    for (const auto& entry : finished) scores.push_back(entry.hypothesis.score);
    std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(n - 1), scores.end(),
                     std::greater<float>());
    return scores[n - 1] >= best_reachable_score(best_live, tokens + 1, max_length + 1, options_);
  }

  int beam_size_;
  int end_id_, end_column_;
  const std::vector<int>* columns_;
  const std::vector<int>& max_lengths_;
  const DecodingOptions& options_;
  std::vector<Sentence> sentences_;
  // Rows: slot s holds the K beams of one sentence at rows s * K .. s * K + K - 1.
  std::vector<int> previous_;  // [slots * K]: the token each row feeds next
  std::vector<int> origins_;   // [slots * K]: the row of the last step each row continues
  std::vector<int> slot_of_;   // [batch]: each sentence's slot while it is not done
  std::vector<int> kept_origins_, kept_previous_;
  std::vector<std::vector<Candidate>> candidates_;  // [batch]: this step's best extensions
  std::vector<Beam> next_;
  AttentionTrace trace_;
};

}  // namespace

std::vector<std::vector<Hypothesis>> BeamSearch::search(Decoder& decoder, const DecoderState& start,
                                                        const std::vector<int>& max_lengths,
                                                        const DecodingOptions& options) {
  const int batch = start.rows();
  const int vocab = decoder.output_size();
  BatchBeams beams(start, decoder.start_id(), decoder.end_id(), decoder.output_tokens(), decoder.end_column(),
                   max_lengths, options);
  // Two states in turn: a step writes `stepped`, whose rows the surviving
  // beams then gather from into `state`.
  DecoderState state, stepped;
  start.gather(beams.origins(), state);
  // A limit counts output tokens; one more step may produce </s>.
  const int longest = batch > 0 ? *std::max_element(max_lengths.begin(), max_lengths.end()) : 0;
  for (int step = 0; step <= longest && beams.undone() > 0; ++step) {
    if (step > 0) stepped.gather(beams.origins(), state);
    Tensor& logits = decoder.step(state, beams.previous().data(), stepped);
    if (beams.trace().on()) beams.trace().add_step(decoder.step_attention_weights());
    layers::log_softmax(logits.data(), state.rows(), vocab);
    beams.advance(logits.data(), vocab, decoder.scored_columns(), step);
  }
  return beams.results();
}

}  // namespace nmt
