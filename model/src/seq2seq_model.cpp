#include "nmt/model/seq2seq_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

Seq2SeqModel::Seq2SeqModel(DnnContext& dnn, const ModelConfig& config)
    : config_((config.validate(), config)),
      encoder_(config.has_encoder()
                   ? std::make_unique<Encoder>(dnn, config.source_vocab_size, config.embedding_size,
                                               config.hidden_size, config.layers, config.dropout,
                                               config.bidirectional_encoder)
                   : nullptr),
      decoder_(config.has_decoder()
                   ? std::make_unique<Decoder>(dnn, config.target_vocab_size, config.embedding_size,
                                               config.hidden_size, config.layers, config.dropout,
                                               config.tied_embeddings, config.attention, config.encoder_output_size())
                   : nullptr),
      head_(config.has_decoder() ? nullptr
                                 : std::make_unique<ClassifierHead>(dnn, config.pooling, config.pooled_size(),
                                                                    config.labels)) {
  if (encoder_) parameters_ = encoder_->parameters();
  for (auto& parameter : decoder_ ? decoder_->parameters() : head_->parameters()) parameters_.push_back(parameter);
}

Decoder& Seq2SeqModel::decoder() {
  if (!decoder_) throw Error("a classifier has no decoder");
  return *decoder_;
}

Encoder& Seq2SeqModel::encoder() {
  if (!encoder_) throw Error("a language model has no encoder");
  return *encoder_;
}

Context Seq2SeqModel::decoder_context() {
  if (encoder_) return encoder_->context();
  return Context(static_cast<std::size_t>(config_.layers));
}

void Seq2SeqModel::initialize(uint64_t seed) {
  if (encoder_) encoder_->initialize(seed);
  if (decoder_) decoder_->initialize(seed + 100);
  if (head_) head_->initialize(seed + 100);
  weights_changed();
}

std::size_t Seq2SeqModel::parameter_count() const {
  std::size_t count = 0;
  for (const auto& parameter : parameters_) count += parameter.size;
  return count;
}

void Seq2SeqModel::weights_changed() {
  if (encoder_) encoder_->weights_changed();
  if (decoder_) decoder_->weights_changed();
  if (head_) head_->weights_changed();
}

void Seq2SeqModel::quantize_for_inference() {
  if (encoder_) encoder_->quantize_for_inference();
  if (decoder_) decoder_->quantize_for_inference();
}

void Seq2SeqModel::zero_grad() {
  for (const auto& p : parameters_) std::memset(p.gradient, 0, p.size * sizeof(float));
}

layers::CrossEntropySums Seq2SeqModel::forward_classifier(const Batch& batch, bool training, float label_smoothing,
                                                          float gradient_scale) {
  encoder_->forward(batch.source.data(), batch.source_length, batch.batch_size, training);
  Tensor& logits = head_->forward(*encoder_->context().back().h, encoder_->outputs());
  // A batch's target row 0 holds each sentence's label (see batching.h).
  labels_.assign(batch.target_output.begin(), batch.target_output.begin() + batch.batch_size);
  const auto sums = layers::softmax_cross_entropy(logits.data(), labels_.data(), batch.batch_size, config_.labels,
                                                  label_smoothing, layers::kNoTargetToIgnore, gradient_scale,
                                                  training ? logits.data() : nullptr);
  if (training) {
    head_->backward(logits);
    grad_context_.assign(static_cast<std::size_t>(config_.layers), layers::LstmState{});
    if (config_.pooling == Pooling::final) {
      grad_context_.back().h = &head_->grad_final_h();
      encoder_->backward(grad_context_);
    } else {
      encoder_->backward(grad_context_, &head_->grad_outputs());
    }
  }
  return sums;
}

const Tensor& Seq2SeqModel::classify_batch(const Batch& batch) {
  if (!head_) throw Error("only a classifier classifies");
  if (batch.source_length == 0) {
    // Empty sentences: nothing to encode, so the pooled features are zeros
    // and the labels' probabilities those of the layer's bias.
    empty_final_.resize({batch.batch_size, config_.hidden_size});
    empty_final_.zero();
    empty_outputs_.resize({0, batch.batch_size, config_.encoder_output_size()});
    probabilities_ = head_->forward(empty_final_, empty_outputs_);
  } else {
    encoder_->forward(batch.source.data(), batch.source_length, batch.batch_size, false);
    probabilities_ = head_->forward(*encoder_->context().back().h, encoder_->outputs());
  }
  layers::log_softmax(probabilities_.data(), batch.batch_size, config_.labels);
  for (std::int64_t i = 0; i < probabilities_.size(); ++i) probabilities_.data()[i] = std::exp(probabilities_.data()[i]);
  return probabilities_;
}

layers::CrossEntropySums Seq2SeqModel::forward(const Batch& batch, bool training,
                                               float label_smoothing, float gradient_scale) {
  if (head_) return forward_classifier(batch, training, label_smoothing, gradient_scale);
  if (encoder_) encoder_->forward(batch.source.data(), batch.source_length, batch.batch_size, training);
  if (config_.attention) {
    // One source length per batch (see batch.h), so no position is padding.
    source_lengths_.assign(static_cast<std::size_t>(batch.batch_size), batch.source_length);
    decoder_->attend_to(encoder_->outputs(), source_lengths_);
  }
  // Logits of the target tokens only: a quarter of the rows of a bucketed
  // training batch are padding, and the projection is most of a step.
  Tensor& logits = decoder_->forward(batch.target_input.data(), batch.target_length,
                                    batch.batch_size, decoder_context(), training, &batch.output_rows);
  // In training the gradient overwrites the logits in place: they are not needed again.
  const auto sums = layers::softmax_cross_entropy(
      logits.data(), batch.output_ids.data(), static_cast<int>(batch.output_ids.size()),
      decoder_->vocab_size(), label_smoothing, layers::kNoTargetToIgnore, gradient_scale,
      training ? logits.data() : nullptr);
  if (training) {
    decoder_->backward(logits);
    // The context seeds the decoder as without attention; attention adds its
    // gradient into the encoder's outputs.
    if (encoder_)
      encoder_->backward(decoder_->grad_context(), config_.attention ? &decoder_->grad_encoder_outputs() : nullptr);
  }
  return sums;
}

layers::CrossEntropySums Seq2SeqModel::train_batch(const Batch& batch, float label_smoothing,
                                                   float gradient_scale, uint64_t dropout_seed) {
  if (encoder_) encoder_->reseed_dropout(dropout_seed);
  if (decoder_) decoder_->reseed_dropout(dropout_seed + 500);
  return forward(batch, true, label_smoothing, gradient_scale);
}

layers::CrossEntropySums Seq2SeqModel::evaluate_batch(const Batch& batch) {
  return forward(batch, false, 0.0f, 0.0f);
}

void Seq2SeqModel::save_weights(ModelFileWriter& file) const {
  for (const auto& p : parameters_)
    file.add_floats("param/" + p.name, {static_cast<std::int64_t>(p.size)}, p.value);
}

void Seq2SeqModel::load_weights(const ModelFileReader& file) {
  for (const auto& p : parameters_) {
    file.read_floats("param/" + p.name, {static_cast<std::int64_t>(p.size)}, p.value);
    // A model with NaN or infinite weights translates every line to nothing.
    if (!std::all_of(p.value, p.value + p.size, [](float w) { return std::isfinite(w); }))
      throw Error(file.name(), "tensor 'param/" + p.name + "' holds NaN or infinite weights");
  }
  weights_changed();
}

}  // namespace nmt
