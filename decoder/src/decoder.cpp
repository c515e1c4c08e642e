#include "nmt/decoder/decoder.h"

#include <algorithm>
#include <string>

#include "nmt/core/error.h"
#include "nmt/core/random.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

Decoder::Decoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
                 float dropout, bool tied_embeddings, std::optional<layers::AttentionType> attention,
                 int encoder_size)
    : embedding_(vocab_size, embedding_size),
      lstm_(dnn, embedding_size, hidden_size, layers, dropout, 0),
      output_dropout_(dropout, 0),
      projection_(dnn, hidden_size, vocab_size),
      start_id_(kBosId),
      end_id_(kEosId),
      dnn_(&dnn) {
  if (attention) attention_ = std::make_unique<layers::LuongAttention>(dnn, *attention, hidden_size, encoder_size);
  if (tied_embeddings) {
    if (embedding_size != hidden_size)
      throw Error("tied embeddings need the embedding size equal to the hidden size");
    projection_.share_weights(embedding_.weights().data(), embedding_.gradient().data());
  }
}

void Decoder::initialize(uint64_t seed) {
  Rng rng(seed);
  for (auto& w : embedding_.weights()) w = rng.uniform(-0.1f, 0.1f);
  if (projection_.weights() != embedding_.weights().data()) {
    const std::size_t size = static_cast<std::size_t>(projection_.in()) * projection_.out();
    for (std::size_t i = 0; i < size; ++i) projection_.weights()[i] = rng.uniform(-0.1f, 0.1f);
  }
  for (auto& b : projection_.bias()) b = 0.0f;
  lstm_.initialize(seed + 1);
  if (attention_) attention_->initialize(seed + 2);
}

void Decoder::weights_changed() {
  lstm_.weights_changed();
  projection_.weights_changed();
  if (attention_) attention_->weights_changed();
  if (quantized()) {
    quantize_for_inference();
  } else {
    restricted_layers_.clear();  // copies of the weights before
    if (restricted_) fill_restricted_projection();
  }
}

void Decoder::quantize_for_inference() {
  const float bound = embedding_.max_abs();
  lstm_.quantize_for_inference(bound > 0 ? bound : 1.0f);
  if (attention_) attention_->quantize_for_inference();
  // The projection's input (the LSTM's or attention's tanh output) lies in (-1, 1).
  int8_projection_ = std::make_unique<layers::QuantizedLinear>(*dnn_, projection_.weights(), projection_.bias().data(),
                                                               projection_.in(), projection_.out(), 1.0f);
  restricted_layers_.clear();  // of the weights before
  if (restricted_) fill_restricted_projection();
}

void Decoder::reseed_dropout(uint64_t seed) {
  lstm_.reseed_dropout(seed);
  output_dropout_.reseed(seed + 1000);
}

std::vector<Parameter> Decoder::parameters() {
  std::vector<Parameter> parameters{{"decoder/embedding", embedding_.weights().data(),
                                     embedding_.gradient().data(), embedding_.weights().size()}};
  for (auto& parameter : lstm_.parameters("decoder/")) parameters.push_back(parameter);
  if (projection_.weights() != embedding_.weights().data()) {
    parameters.push_back({"decoder/output/weights", projection_.weights(),
                          projection_.weight_gradient(),
                          static_cast<std::size_t>(projection_.in()) * projection_.out()});
  }
  parameters.push_back({"decoder/output/bias", projection_.bias().data(),
                        projection_.bias_gradient().data(), projection_.bias().size()});
  if (attention_) {
    const auto add = [&](const char* name, layers::Linear& layer) {
      parameters.push_back({name, layer.weights(), layer.weight_gradient(),
                            static_cast<std::size_t>(layer.in()) * layer.out()});
    };
    if (auto* score = attention_->score_projection()) add("decoder/attention/score", *score);
    add("decoder/attention/combine", attention_->combine());
  }
  return parameters;
}

Tensor& Decoder::forward(const int* target_input, int steps, int batch, const Context& context,
                         bool training, const std::vector<int>* output_rows) {
  const int rows = steps * batch;
  target_input_.assign(target_input, target_input + rows);
  context_ = context;
  embedded_.resize({steps, batch, embedding_.dim()});
  embedding_.forward(target_input, rows, embedded_.data());
  lstm_.forward(embedded_, context_, training);
  if (attention_) attention_->forward(lstm_.output());
  output_dropout_.forward(attention_ ? attention_->output() : lstm_.output(), dropped_, training);
  output_rows_ = output_rows;
  const Tensor* projected = &dropped_;
  int projected_rows = rows;
  if (output_rows_) {
    const int width = projection_.in();
    projected_rows = static_cast<int>(output_rows_->size());
    projected_.resize({projected_rows, width});
    for (int i = 0; i < projected_rows; ++i) {
      const int row = (*output_rows_)[static_cast<std::size_t>(i)];
      if (row < 0 || row >= rows) throw Error("Decoder::forward: output row " + std::to_string(row) + " outside " +
                                              std::to_string(rows) + " rows");
      std::copy_n(dropped_.data() + static_cast<std::size_t>(row) * width, width,
                  projected_.data() + static_cast<std::size_t>(i) * width);
    }
    projected = &projected_;
  }
  logits_.resize({projected_rows, projection_.out()});
  projection_.forward(projected->data(), projected_rows, logits_.data());
  return logits_;
}

void Decoder::backward(const Tensor& grad_logits) {
  const int rows = static_cast<int>(target_input_.size());
  grad_dropped_.resize(dropped_.shape());
  if (output_rows_) {
    // Padding rows get no gradient: the loss never saw them.
    const int width = projection_.in();
    const int projected_rows = static_cast<int>(output_rows_->size());
    grad_projected_.resize(projected_.shape());
    projection_.backward(projected_.data(), grad_logits.data(), projected_rows, grad_projected_.data());
    std::fill(grad_dropped_.data(), grad_dropped_.data() + grad_dropped_.size(), 0.0f);
    for (int i = 0; i < projected_rows; ++i)
      std::copy_n(grad_projected_.data() + static_cast<std::size_t>(i) * width, width,
                  grad_dropped_.data() + static_cast<std::size_t>((*output_rows_)[static_cast<std::size_t>(i)]) * width);
  } else {
    projection_.backward(dropped_.data(), grad_logits.data(), rows, grad_dropped_.data());
  }
  const Tensor* grad_top = &grad_dropped_;
  if (output_dropout_.active(true)) {
    output_dropout_.backward(grad_dropped_, grad_output_);
    grad_top = &grad_output_;
  }
  if (attention_) {
    attention_->backward(*grad_top);
    grad_top = &attention_->grad_decoder_states();
  }
  lstm_.backward(embedded_, context_, *grad_top, {});
  embedding_.backward(target_input_.data(), rows, lstm_.grad_input().data());
}

Context Decoder::grad_context() const {
  Context grad;
  for (int l = 0; l < lstm_.num_layers(); ++l) grad.push_back(lstm_.grad_initial_state(l));
  return grad;
}

void Decoder::attend_to(const Tensor& encoder_outputs, const std::vector<int>& source_lengths) {
  if (!attention_) throw Error("Decoder::attend_to: this decoder has no attention");
  attention_->set_source(encoder_outputs, source_lengths);
}

void Decoder::set_token_ids(int start_id, int end_id) {
  for (const int id : {start_id, end_id})
    if (id < 0 || id >= vocab_size())
      throw Error("Decoder: token id " + std::to_string(id) + " outside a vocabulary of " +
                  std::to_string(vocab_size()));
  start_id_ = start_id;
  end_id_ = end_id;
}

DecoderState Decoder::start(const Context& context) const {
  if (attention_) throw Error("Decoder::start: a decoder with attention needs the encoder outputs");
  return initial_state(context);
}

DecoderState Decoder::start(const Context& context, const Tensor& encoder_outputs,
                            const std::vector<int>& source_lengths) {
  if (!attention_) throw Error("Decoder::start: this decoder has no attention");
  DecoderState state = initial_state(context);
  if (encoder_outputs.rank() != 3 || encoder_outputs.dim(1) != state.rows())
    throw Error("Decoder::start: encoder outputs " + to_string(encoder_outputs.shape()) + " for " +
                std::to_string(state.rows()) + " sentences");
  state.source =
      std::make_shared<const layers::AttentionSource>(attention_->make_source(encoder_outputs, source_lengths));
  return state;
}

DecoderState Decoder::initial_state(const Context& context) const {
  if (context.size() != static_cast<std::size_t>(lstm_.num_layers()))
    throw Error("Decoder::start: a context of " + std::to_string(context.size()) + " layers for " +
                std::to_string(lstm_.num_layers()));
  DecoderState state;
  for (const auto& layer : context) {
    if (layer.h == nullptr || layer.c == nullptr) throw Error("Decoder::start: a context without h or c");
    state.h.push_back(*layer.h);
    state.c.push_back(*layer.c);
  }
  state.source_rows.resize(static_cast<std::size_t>(state.rows()));
  for (std::size_t r = 0; r < state.source_rows.size(); ++r) state.source_rows[r] = static_cast<int>(r);
  return state;
}

void Decoder::restrict_output(std::vector<int> tokens) {
  const auto end = std::lower_bound(tokens.begin(), tokens.end(), end_id_);
  if (end == tokens.end() || *end != end_id_)
    throw Error("Decoder::restrict_output: the tokens must hold </s> (id " + std::to_string(end_id_) + ")");
  if (!std::is_sorted(tokens.begin(), tokens.end()) || tokens.front() < 0 || tokens.back() >= vocab_size())
    throw Error("Decoder::restrict_output: target ids must be ascending and within the vocabulary");
  end_column_ = static_cast<int>(end - tokens.begin());
  restricted_tokens_ = static_cast<int>(tokens.size());
  // Filler columns (logit kFillerLogit, never chosen) round the width up, so
  // batches of similar shortlists share a layer and its primitives; never
  // past the vocabulary's width, where the full projection's shape (and so
  // its rounding) is kept.
  const int width =
      std::min(vocab_size(), (restricted_tokens_ + kOutputWidthStep - 1) / kOutputWidthStep * kOutputWidthStep);
  tokens.resize(static_cast<std::size_t>(width), end_id_);
  output_tokens_ = std::move(tokens);
  fill_restricted_projection();
}

void Decoder::fill_restricted_projection() {
  const int width = static_cast<int>(output_tokens_.size()), in = projection_.in();
  if (restricted_layers_.size() >= kMaxRestrictedWidths && !restricted_layers_.count(width)) restricted_layers_.clear();
  RestrictedProjection& layer = restricted_layers_[width];
  const std::vector<int> taken(output_tokens_.begin(), output_tokens_.begin() + restricted_tokens_);
  if (quantized()) {
    if (!layer.int8) layer.int8 = std::make_unique<layers::QuantizedLinear>(*dnn_, in, width, 1.0f);
    layer.int8->take_outputs(*int8_projection_, taken, kFillerLogit);
  } else {
    if (!layer.f32) layer.f32 = std::make_unique<layers::Linear>(*dnn_, in, width);
    const auto row = static_cast<std::size_t>(in);
    for (std::size_t k = 0; k < static_cast<std::size_t>(width); ++k) {
      float* weights = layer.f32->weights() + k * row;
      if (k < taken.size()) {
        const auto token = static_cast<std::size_t>(taken[k]);
        std::copy_n(projection_.weights() + token * row, row, weights);
        layer.f32->bias()[k] = projection_.bias()[token];
      } else {
        std::fill_n(weights, row, 0.0f);
        layer.f32->bias()[k] = kFillerLogit;
      }
    }
    layer.f32->weights_changed();
  }
  restricted_ = &layer;
}

void Decoder::unrestrict_output() {
  restricted_ = nullptr;
  output_tokens_.clear();
}

Tensor& Decoder::step(const DecoderState& state, const int* previous, DecoderState& next) {
  const int rows = state.rows();
  if (state.h.size() != static_cast<std::size_t>(lstm_.num_layers()))
    throw Error("Decoder::step: a state of " + std::to_string(state.h.size()) + " layers for " +
                std::to_string(lstm_.num_layers()));
  if (attention_ && !state.source) throw Error("Decoder::step: attention needs a state made with encoder outputs");
  embedded_.resize({1, rows, embedding_.dim()});
  embedding_.forward(previous, rows, embedded_.data());
  Context initial;
  for (std::size_t l = 0; l < state.h.size(); ++l) initial.push_back({&state.h[l], &state.c[l]});
  lstm_.forward(embedded_, initial, false);
  const Tensor* top = &lstm_.output();
  if (attention_) {
    attention_->step(lstm_.output(), *state.source, state.source_rows, step_weights_, step_output_);
    top = &step_output_;
  }
  if (quantized()) {
    layers::QuantizedLinear& projection = restricted_ ? *restricted_->int8 : *int8_projection_;
    logits_.resize({rows, projection.out()});
    projection.forward(top->data(), rows, logits_.data());
  } else {
    layers::Linear& projection = restricted_ ? *restricted_->f32 : projection_;
    logits_.resize({rows, projection.out()});
    projection.forward(top->data(), rows, logits_.data());
  }
  // The stack has read the initial state: next may be state itself.
  next.h.resize(state.h.size());
  next.c.resize(state.c.size());
  for (int l = 0; l < lstm_.num_layers(); ++l) {
    const layers::LstmState last = lstm_.final_state(l);
    next.h[l] = *last.h;
    next.c[l] = *last.c;
  }
  if (&next != &state) {
    next.source = state.source;
    next.source_rows = state.source_rows;
  }
  return logits_;
}

}  // namespace nmt
