#pragma once
// The decoder: target embedding, an L-layer LSTM seeded with the encoder's
// context, optionally Luong attention over the encoder's outputs (read after
// the LSTM, so the stack still runs over all target steps at once), dropout,
// and the output projection to the target vocabulary. Two ways to run it: over
// a whole target sentence with teacher forcing (training, scoring), or one
// step at a time on an explicit DecoderState (search).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/parameter.h"
#include "nmt/core/tensor.h"
#include "nmt/decoder/decoder_state.h"
#include "nmt/layers/attention.h"
#include "nmt/layers/dropout.h"
#include "nmt/layers/embedding.h"
#include "nmt/layers/linear.h"
#include "nmt/layers/lstm_stack.h"
#include "nmt/layers/quantized_linear.h"

namespace nmt {

class Decoder {
 public:
  // tied_embeddings: the embedding table doubles as the output projection
  // (needs embedding_size == hidden_size).
  // attention: none (the context alone carries the source), or the Luong
  // score over encoder outputs of encoder_size features.
  Decoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
          float dropout, bool tied_embeddings, std::optional<layers::AttentionType> attention = std::nullopt,
          int encoder_size = 0);

  void initialize(uint64_t seed);
  void reseed_dropout(uint64_t seed);
  std::vector<Parameter> parameters();
  void weights_changed();
  // Search steps in int8 from now on (layers/int8.h): the LSTM stack, and the
  // output projection, whose input (the LSTM's or attention's tanh output)
  // lies in (-1, 1), and attention's W_c (see LuongAttention); attention's
  // scores and weights stay f32.
  // Teacher-forced forwards keep an f32 projection.
  void quantize_for_inference();
  bool quantized() const { return int8_projection_ != nullptr; }
  int vocab_size() const { return embedding_.vocab(); }
  bool has_attention() const { return attention_ != nullptr; }

  // With attention, before forward(): the encoder outputs [S, N, E] of the
  // batch and each sentence's source length (positions >= its length are
  // padding, never attended to). The tensor is read in place, not copied: it
  // must stay unchanged until backward().
  void attend_to(const Tensor& encoder_outputs, const std::vector<int>& source_lengths);
  // After backward(): the gradient reaching the encoder outputs, [S, N, E].
  const Tensor& grad_encoder_outputs() const { return attention_->grad_encoder_outputs(); }
  // The attention weights [N, T, S] of the last forward().
  const Tensor& attention_weights() const { return attention_->attention_weights(); }

  // Teacher forcing. target_input: [T][N] ids (<s> y1 .. yn); context: the
  // encoder's, valid until backward. Returns logits [T * N, V], row t * N + n;
  // with output_rows, only those rows (ascending, e.g. Batch::output_rows):
  // logits [R, V], row i for row output_rows[i], sparing the projection the
  // padding. output_rows is read in place until backward().
  Tensor& forward(const int* target_input, int steps, int batch, const Context& context,
                  bool training, const std::vector<int>* output_rows = nullptr);
  // grad_logits: shaped as forward's logits (may be that tensor). Adds into the
  // parameter gradients; grad_context() then holds the context's gradient.
  void backward(const Tensor& grad_logits);
  Context grad_context() const;

  // Search, one step at a time on a DecoderState the search holds. The first
  // step feeds start_id(); a hypothesis ends with end_id().
  int start_id() const { return start_id_; }
  int end_id() const { return end_id_; }
  // For a vocabulary whose <s> and </s> are not tokenization's kBosId, kEosId.
  void set_token_ids(int start_id, int end_id);

  // The state before the first step, row n = sentence n: without attention
  // from the encoder's context alone; with it, also from the encoder outputs
  // [S, N, E] and each sentence's source length, which the state (and every
  // state gathered from it) reads in place: keep them unchanged until the
  // search is over.
  DecoderState start(const Context& context) const;
  DecoderState start(const Context& context, const Tensor& encoder_outputs, const std::vector<int>& source_lengths);
  // previous: one id per row of state. Writes the state after the step into
  // next (which may be state itself) and returns the logits [N, output_size()]
  // of each row's next token.
  Tensor& step(const DecoderState& state, const int* previous, DecoderState& next);

  // From now on step() scores only these target ids (ascending, holding
  // end_id(); a lexical shortlist, see shortlist.h): logit column j is token
  // tokens[j], and columns past the tokens (up to a multiple of
  // kOutputWidthStep, at most vocab_size() in all) are fillers of logit
  // kFillerLogit, which no search picks. The projection rows are copied now;
  // weights_changed() copies them again. unrestrict_output() goes back to
  // the whole vocabulary.
  void restrict_output(std::vector<int> tokens);
  void unrestrict_output();
  static constexpr int kOutputWidthStep = 128;
  static constexpr float kFillerLogit = -1e30f;
  int output_size() const { return restricted_ ? static_cast<int>(output_tokens_.size()) : vocab_size(); }
  // Columns [0, scored_columns()) of step()'s logits are tokens, the rest fillers.
  int scored_columns() const { return restricted_ ? restricted_tokens_ : vocab_size(); }
  // The token of each logit column of step(), or null: column = token.
  const std::vector<int>* output_tokens() const { return restricted_ ? &output_tokens_ : nullptr; }
  // The column of end_id() in step()'s logits.
  int end_column() const { return restricted_ ? end_column_ : end_id_; }
  // With attention: the weights [N, S] of the last step(), row r over the
  // source positions of the sentence row r reads (0 at padding).
  const Tensor& step_attention_weights() const { return step_weights_; }

 private:
  DecoderState initial_state(const Context& context) const;
  // The projection over output_tokens_, in f32 or int8 as the decoder runs.
  struct RestrictedProjection {
    std::unique_ptr<layers::Linear> f32;
    std::unique_ptr<layers::QuantizedLinear> int8;
  };
  void fill_restricted_projection();

  layers::Embedding embedding_;
  layers::LstmStack lstm_;
  layers::Dropout output_dropout_;
  layers::Linear projection_;

  std::vector<int> target_input_;
  std::unique_ptr<layers::LuongAttention> attention_;
  int start_id_, end_id_;

  Context context_;   // the initial state of the last teacher-forced forward
  Tensor embedded_;   // [T, N, E]
  Tensor dropped_;    // [T, N, H]: LSTM (or attention) output after dropout
  const std::vector<int>* output_rows_ = nullptr;  // forward's, or null: all rows
  Tensor projected_;  // [R, H]: the rows of dropped_ in output_rows_
  Tensor grad_projected_;
  Tensor logits_;     // [T * N, V] or [R, V]
  Tensor grad_dropped_, grad_output_;
  Tensor step_weights_, step_output_;  // step(): attention's weights [N, S] and output [N, H]

  DnnContext* dnn_;
  std::unique_ptr<layers::QuantizedLinear> int8_projection_;  // when quantized
  std::vector<int> output_tokens_;  // restrict_output()'s, fillers included
  int restricted_tokens_ = 0;       // ... and without them
  int end_column_ = 0;
  // Restricted projections by width, kept for later batches (and their
  // primitives with them), at most kMaxRestrictedWidths.
  static constexpr std::size_t kMaxRestrictedWidths = 8;
  std::map<int, RestrictedProjection> restricted_layers_;
  RestrictedProjection* restricted_ = nullptr;  // the one in use, or null
};

}  // namespace nmt
