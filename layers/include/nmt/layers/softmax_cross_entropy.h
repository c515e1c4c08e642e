#pragma once
// Softmax cross-entropy over the target vocabulary, forward and backward in one
// pass (the probabilities are needed for both), with label smoothing and
// padding positions ignored.
//
// Label smoothing as in Szegedy et al. (2016) and fairseq: the target gets
// probability 1 - eps, every other word eps / (V - 1).

#include <cstddef>

namespace nmt::layers {

// An ignore_id no target equals: every row counts.
constexpr int kNoTargetToIgnore = -1;

struct CrossEntropySums {
  double loss = 0;  // smoothed loss, summed over non-ignored rows
  double nll = 0;   // negative log-likelihood of the targets (for perplexity)
  std::size_t tokens = 0;
};

// logits: [rows, vocab]; targets: [rows]. Rows whose target is ignore_id add
// nothing and get a zero gradient. If gradient is not null it receives
// d(loss)/d(logits) * gradient_scale; it may alias logits.
CrossEntropySums softmax_cross_entropy(const float* logits, const int* targets, int rows, int vocab,
                                       float label_smoothing, int ignore_id, float gradient_scale,
                                       float* gradient);

// In place: each row of [rows, vocab] becomes its log-softmax.
void log_softmax(float* values, int rows, int vocab);

// What greedy search needs of a step, without writing the log-softmax: for
// each row r of logits [rows, vocab] whose columns[r] is kBestColumn, the
// first column with the largest logit goes into columns[r]; rows with a
// column given keep it; then log_probs[r] = log p(columns[r]), in the same
// float arithmetic as target_log_probabilities. Rows marked kSkipRow (padding)
// are left alone.
constexpr int kBestColumn = -1;
constexpr int kSkipRow = -2;
void pick_log_probabilities(const float* logits, int rows, int vocab, int* columns, float* log_probs);

// log p(targets[r]) of each row of logits [rows, vocab] into out [rows], in
// the same float arithmetic as log_softmax, so that summing them reproduces a
// search's sum. Rows whose target is ignore_id get 0.
void target_log_probabilities(const float* logits, const int* targets, int rows, int vocab,
                              int ignore_id, float* out);

}  // namespace nmt::layers
