#include "nmt/decoder/decoder.h"

#include <algorithm>
#include <string>

#include "nmt/core/error.h"
#include "nmt/core/random.h"

namespace nmt {

Decoder::Decoder(DnnContext& dnn, int vocab_size, int embedding_size, int hidden_size, int layers,
                 float dropout, bool tied_embeddings, std::optional<layers::AttentionType> attention,
                 int encoder_size)
    : embedding_(vocab_size, embedding_size),
      lstm_(dnn, embedding_size, hidden_size, layers, dropout, 0),
      output_dropout_(dropout, 0),
      projection_(dnn, hidden_size, vocab_size) {
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
                         bool training) {
  const int rows = steps * batch;
  target_input_.assign(target_input, target_input + rows);
  context_ = context;
  embedded_.resize({steps, batch, embedding_.dim()});
  embedding_.forward(target_input, rows, embedded_.data());
  lstm_.forward(embedded_, context_, training);
  if (attention_) attention_->forward(lstm_.output());
  output_dropout_.forward(attention_ ? attention_->output() : lstm_.output(), dropped_, training);
  logits_.resize({rows, projection_.out()});
  projection_.forward(dropped_.data(), rows, logits_.data());
  return logits_;
}

void Decoder::backward(const Tensor& grad_logits) {
  const int rows = static_cast<int>(target_input_.size());
  grad_dropped_.resize(dropped_.shape());
  projection_.backward(dropped_.data(), grad_logits.data(), rows, grad_dropped_.data());
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
  source_ = &encoder_outputs;
  source_lengths_ = source_lengths;
  source_repeated_ = false;
}

void Decoder::attend_to_copies(int copies) {
  if (!attention_) return;
  if (source_ == nullptr) throw Error("Decoder: attention needs attend_to() before the search starts");
  if (copies == 1) {
    // A beam search on the same outputs may have left the repeated copy in place.
    if (source_repeated_) attention_->set_source(*source_, source_lengths_);
    source_repeated_ = false;
    return;
  }
  // Rows n * copies .. n * copies + copies - 1 are sentence n's beams.
  const int64_t steps = source_->dim(0), batch = source_->dim(1), width = source_->dim(2);
  repeated_source_.resize({steps, batch * copies, width});
  repeated_lengths_.clear();
  for (int64_t n = 0; n < batch; ++n)
    repeated_lengths_.insert(repeated_lengths_.end(), copies, source_lengths_.at(static_cast<std::size_t>(n)));
  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t r = 0; r < batch * copies; ++r) {
      const float* from = source_->data() + (t * batch + r / copies) * width;
      std::copy(from, from + width, repeated_source_.data() + (t * batch * copies + r) * width);
    }
  }
  attention_->set_source(repeated_source_, repeated_lengths_);
  source_repeated_ = true;
}

void Decoder::start(const Context& context) {
  attend_to_copies(1);
  context_ = context;
  from_lstm_state_ = false;
}

namespace {

// dst row r = src row origins[r]; dst is resized to [origins.size(), H].
void gather_rows(const Tensor& src, const std::vector<int>& origins, Tensor& dst) {
  const int64_t width = src.dim(1);
  dst.resize({static_cast<int64_t>(origins.size()), width});
  for (std::size_t r = 0; r < origins.size(); ++r) {
    const float* from = src.data() + origins[r] * width;
    std::copy(from, from + width, dst.data() + static_cast<int64_t>(r) * width);
  }
}

}  // namespace

void Decoder::start(const Context& context, int copies) {
  if (context.size() != static_cast<std::size_t>(lstm_.num_layers()))
    throw Error("Decoder::start: a context of " + std::to_string(context.size()) + " layers for " +
                std::to_string(lstm_.num_layers()));
  const int batch = static_cast<int>(context.front().h->dim(0));
  attend_to_copies(copies);
  std::vector<int> origins(static_cast<std::size_t>(batch) * copies);
  for (std::size_t r = 0; r < origins.size(); ++r) origins[r] = static_cast<int>(r) / copies;
  beam_h_.resize(context.size());
  beam_c_.resize(context.size());
  context_.clear();
  for (std::size_t l = 0; l < context.size(); ++l) {
    gather_rows(*context[l].h, origins, beam_h_[l]);
    gather_rows(*context[l].c, origins, beam_c_[l]);
    context_.push_back({&beam_h_[l], &beam_c_[l]});
  }
  from_lstm_state_ = false;
}

void Decoder::reorder_state(const std::vector<int>& origins) {
  beam_h_.resize(static_cast<std::size_t>(lstm_.num_layers()));
  beam_c_.resize(static_cast<std::size_t>(lstm_.num_layers()));
  context_.clear();
  for (int l = 0; l < lstm_.num_layers(); ++l) {
    const layers::LstmState last = lstm_.final_state(l);
    gather_rows(*last.h, origins, beam_h_[l]);
    gather_rows(*last.c, origins, beam_c_[l]);
    context_.push_back({&beam_h_[l], &beam_c_[l]});
  }
  from_lstm_state_ = false;
}

Tensor& Decoder::step(const int* previous, int batch) {
  embedded_.resize({1, batch, embedding_.dim()});
  embedding_.forward(previous, batch, embedded_.data());
  // The first step starts from the encoder's context, later ones from the
  // stack's own final state (LstmLayer copies an initial state it owns) or
  // from the rows reorder_state gathered.
  lstm_.forward(embedded_, from_lstm_state_ ? state() : context_, false);
  from_lstm_state_ = true;
  if (attention_) attention_->forward(lstm_.output());
  logits_.resize({batch, projection_.out()});
  projection_.forward((attention_ ? attention_->output() : lstm_.output()).data(), batch, logits_.data());
  return logits_;
}

Context Decoder::state() const {
  Context state;
  for (int l = 0; l < lstm_.num_layers(); ++l) state.push_back(lstm_.final_state(l));
  return state;
}

}  // namespace nmt
