#include "nmt/layers/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "nmt/core/error.h"
#include "nmt/core/random.h"

namespace nmt::layers {

namespace {

using dims = dnnl::memory::dims;

// An f32 view of a buffer through explicit strides (elements).
dnnl::memory::desc view(const dims& shape, const dims& strides) {
  return dnnl::memory::desc(shape, dnnl::memory::data_type::f32, strides);
}

dnnl::matmul make_matmul(const dnnl::engine& engine, const dnnl::memory::desc& a, const dnnl::memory::desc& b,
                         const dnnl::memory::desc& c, bool accumulate) {
  dnnl::primitive_attr attr;
  if (accumulate) {
    dnnl::post_ops sum;
    sum.append_sum(1.0f);
    attr.set_post_ops(sum);
  }
  return dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, b, c), attr, engine));
}

// weight[j] = softmax over j < length of score[j]; padding (length <= j < S)
// weighs 0. weight may be score.
void masked_softmax(const float* score, int64_t length, int64_t S, float* weight) {
  const float top = *std::max_element(score, score + length);
  float sum = 0;
  for (int64_t j = 0; j < length; ++j) sum += weight[j] = std::exp(score[j] - top);
  const float scale = 1.0f / sum;
  for (int64_t j = 0; j < length; ++j) weight[j] *= scale;
  std::fill(weight + length, weight + S, 0.0f);
}

// a . b in 8 separate sums, which the compiler can keep in vector lanes
// without reordering any one sum.
inline __attribute__((always_inline)) float dot(const float* a, const float* b, int64_t n) {
  float lanes[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) lanes[k] += a[i + k] * b[i + k];
  float sum = 0;
  for (const float lane : lanes) sum += lane;
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// One row of a search step: the scores of the state against the sentence's
// keys [S, H], their softmax into weight, and combined = [context; state],
// the context over the values [S, E]. One pass
// over keys and values with a running maximum (the context is rescaled when
// it grows): they come from memory rather than cache, and for dot attention
// they are the same rows. Built for AVX2 as well, picked at run time.
__attribute__((target_clones("avx2", "default"))) void attend_row(const float* state, const float* keys,
                                                                   const float* values, int64_t length, int64_t S,
                                                                   int64_t H, int64_t E, float* weight,
                                                                   float* combined) {
  float top = -std::numeric_limits<float>::infinity(), sum = 0;
  std::fill_n(combined, E, 0.0f);
  for (int64_t j = 0; j < length; ++j) {
    const float score = weight[j] = dot(state, keys + j * H, H);
    if (score > top) {
      const float shrink = std::exp(top - score);
      sum *= shrink;
      for (int64_t e = 0; e < E; ++e) combined[e] *= shrink;
      top = score;
    }
    const float p = std::exp(score - top);
    sum += p;
    const float* value = values + j * E;
    for (int64_t e = 0; e < E; ++e) combined[e] += p * value[e];
  }
  const float scale = 1.0f / sum;
  for (int64_t e = 0; e < E; ++e) combined[e] *= scale;
  for (int64_t j = 0; j < length; ++j) weight[j] = std::exp(weight[j] - top) * scale;
  std::fill(weight + length, weight + S, 0.0f);
  std::copy_n(state, H, combined + E);
}

}  // namespace

// The batched products of one (T, N, S), with the strided views they read and
// write. Time-major buffers [T, N, X] are seen batch-first as [N, T, X] with
// strides {X, N X, 1}.
struct LuongAttention::Primitives {
  dnnl::memory::desc states, keys_t, keys, source, source_t, weights, weights_t, context;
  dnnl::matmul scores;              // [N,T,H] x [N,H,S] -> [N,T,S]
  dnnl::matmul context_product;     // [N,T,S] x [N,S,E] -> context part of combined
  dnnl::matmul grad_weights;        // d context [N,T,E] x [N,E,S] -> [N,T,S]
  dnnl::matmul grad_source;         // [N,S,T] x d context [N,T,E] -> [N,S,E]
  dnnl::matmul grad_states;         // d scores [N,T,S] x keys [N,S,H] -> += [N,T,H]
  dnnl::matmul grad_keys;           // d scores^T [N,S,T] x states [N,T,H] -> [N,S,H]
  dnnl::matmul grad_keys_into_source;  // dot: the same product added into d source
};

LuongAttention::LuongAttention(DnnContext& context, AttentionType type, int64_t hidden_size,
                               int64_t encoder_size)
    : context_(&context),
      type_(type),
      hidden_(hidden_size),
      encoder_(encoder_size),
      score_projection_(context, type == AttentionType::general ? static_cast<int>(encoder_size) : 0,
                        type == AttentionType::general ? static_cast<int>(hidden_size) : 0, false),
      combine_(context, static_cast<int>(encoder_size + hidden_size), static_cast<int>(hidden_size), false,
               Activation::tanh) {
  if (type == AttentionType::dot && encoder_size != hidden_size)
    throw Error("dot attention needs encoder outputs of the decoder's size (" + std::to_string(encoder_size) +
                " != " + std::to_string(hidden_size) + "); use general attention");
}

void LuongAttention::initialize(uint64_t seed) {
  Rng rng(seed);
  for (Linear* layer : {&score_projection_, &combine_}) {
    const float bound = layer->in() > 0 ? 1.0f / std::sqrt(static_cast<float>(layer->in())) : 0.0f;
    const int64_t count = static_cast<int64_t>(layer->in()) * layer->out();
    for (int64_t i = 0; i < count; ++i) layer->weights()[i] = rng.uniform(-bound, bound);
  }
}

void LuongAttention::weights_changed() {
  for (Linear* layer : {&score_projection_, &combine_}) layer->weights_changed();
  if (int8_combine_) quantize_for_inference();
}

void LuongAttention::quantize_for_inference() {
  int8_combine_ = std::make_unique<QuantizedLinear>(*context_, combine_.weights(), nullptr, combine_.in(),
                                                    combine_.out(), 1.0f, Activation::tanh);
}

void LuongAttention::zero_grad() {
  for (Linear* layer : {&score_projection_, &combine_})
    std::fill_n(layer->weight_gradient(), static_cast<int64_t>(layer->in()) * layer->out(), 0.0f);
}

LuongAttention::Primitives& LuongAttention::primitives_for(int64_t T, int64_t N, int64_t S) {
  return *cache_.get(ShapeKey{T, N, S}, [&] { return create_primitives(T, N, S); });
}

LuongAttention::Primitives LuongAttention::create_primitives(int64_t T, int64_t N, int64_t S) const {
  const int64_t H = hidden_, E = encoder_, C = E + H;
  Primitives primitives;
  Primitives* p = &primitives;
  p->states = view({N, T, H}, {H, N * H, 1});
  p->keys = view({N, S, H}, {H, N * H, 1});
  p->keys_t = view({N, H, S}, {H, 1, N * H});
  p->source = view({N, S, E}, {E, N * E, 1});
  p->source_t = view({N, E, S}, {E, 1, N * E});
  p->weights = view({N, T, S}, {T * S, S, 1});
  p->weights_t = view({N, S, T}, {T * S, 1, S});
  p->context = view({N, T, E}, {C, N * C, 1});  // the first E columns of combined [T, N, E + H]
  const auto& engine = context_->engine();
  p->scores = make_matmul(engine, p->states, p->keys_t, p->weights, false);
  p->context_product = make_matmul(engine, p->weights, p->source, p->context, false);
  p->grad_weights = make_matmul(engine, p->context, p->source_t, p->weights, false);
  p->grad_source = make_matmul(engine, p->weights_t, p->context, p->source, false);
  p->grad_states = make_matmul(engine, p->weights, p->keys, p->states, true);
  p->grad_keys = make_matmul(engine, p->weights_t, p->states, p->keys, false);
  if (type_ == AttentionType::dot) p->grad_keys_into_source = make_matmul(engine, p->weights_t, p->states, p->source, true);
  return primitives;
}

void LuongAttention::check_source(const Tensor& encoder_outputs, const std::vector<int>& source_lengths) const {
  if (encoder_outputs.rank() != 3 || encoder_outputs.dim(2) != encoder_ ||
      encoder_outputs.dim(1) != static_cast<int64_t>(source_lengths.size()))
    throw Error("attention: encoder outputs " + to_string(encoder_outputs.shape()) + " do not match " +
                std::to_string(source_lengths.size()) + " sentences of size " + std::to_string(encoder_));
  for (const int length : source_lengths)
    if (length < 1 || length > encoder_outputs.dim(0))
      throw Error("attention: a source length of " + std::to_string(length) + " in a batch of " +
                  std::to_string(encoder_outputs.dim(0)) + " steps");
}

void LuongAttention::set_source(const Tensor& encoder_outputs, const std::vector<int>& source_lengths) {
  check_source(encoder_outputs, source_lengths);
  source_ = &encoder_outputs;
  source_lengths_ = source_lengths;
  if (type_ == AttentionType::general) {
    const int64_t S = encoder_outputs.dim(0), N = encoder_outputs.dim(1);
    keys_.resize({S, N, hidden_});
    score_projection_.forward(encoder_outputs.data(), static_cast<int>(S * N), keys_.data());
  }
}

void LuongAttention::forward(const Tensor& decoder_states) {
  if (source_ == nullptr) throw Error("attention: forward() before set_source()");
  const int64_t T = decoder_states.dim(0), N = decoder_states.dim(1), S = source_->dim(0);
  const int64_t H = hidden_, E = encoder_, C = E + H;
  if (decoder_states.rank() != 3 || N != source_->dim(1) || decoder_states.dim(2) != H)
    throw Error("attention: decoder states " + to_string(decoder_states.shape()) + " do not match the source " +
                to_string(source_->shape()));
  states_ = &decoder_states;
  auto& p = primitives_for(T, N, S);
  const auto& engine = context_->engine();
  const Tensor& keys = type_ == AttentionType::general ? keys_ : *source_;
  auto mem = [&](const dnnl::memory::desc& desc, const float* data) {
    return dnnl::memory(desc, engine, const_cast<float*>(data));
  };

  scores_.resize({N, T, S});
  weights_.resize({N, T, S});
  p.scores.execute(context_->stream(), {{DNNL_ARG_SRC, mem(p.states, decoder_states.data())},
                                        {DNNL_ARG_WEIGHTS, mem(p.keys_t, keys.data())},
                                        {DNNL_ARG_DST, mem(p.weights, scores_.data())}});
  context_->wait();
  // Softmax over each sentence's real source positions; padding weighs 0.
  for (int64_t n = 0; n < N; ++n) {
    const int64_t length = source_lengths_[static_cast<std::size_t>(n)];
    for (int64_t t = 0; t < T; ++t) {
      masked_softmax(scores_.data() + (n * T + t) * S, length, S, weights_.data() + (n * T + t) * S);
    }
  }
  combined_.resize({T, N, C});
  p.context_product.execute(context_->stream(), {{DNNL_ARG_SRC, mem(p.weights, weights_.data())},
                                                 {DNNL_ARG_WEIGHTS, mem(p.source, source_->data())},
                                                 {DNNL_ARG_DST, mem(p.context, combined_.data())}});
  context_->wait();
  for (int64_t row = 0; row < T * N; ++row)
    std::copy_n(decoder_states.data() + row * H, H, combined_.data() + row * C + E);
  output_.resize({T, N, H});
  combine_.forward(combined_.data(), static_cast<int>(T * N), output_.data());  // tanh fused
}

void LuongAttention::backward(const Tensor& grad_output) {
  const Tensor& states = *states_;
  const int64_t T = states.dim(0), N = states.dim(1), S = source_->dim(0);
  const int64_t H = hidden_, E = encoder_, C = E + H;
  if (grad_output.shape() != output_.shape())
    throw Error("attention: gradient " + to_string(grad_output.shape()) + " for output " + to_string(output_.shape()));
  auto& p = primitives_for(T, N, S);
  const auto& engine = context_->engine();
  const Tensor& keys = type_ == AttentionType::general ? keys_ : *source_;
  auto mem = [&](const dnnl::memory::desc& desc, const float* data) {
    return dnnl::memory(desc, engine, const_cast<float*>(data));
  };

  // Through tanh and W_c.
  grad_pre_.resize(output_.shape());
  for (int64_t i = 0; i < output_.size(); ++i) grad_pre_[i] = grad_output[i] * (1.0f - output_[i] * output_[i]);
  grad_combined_.resize({T, N, C});
  combine_.backward(combined_.data(), grad_pre_.data(), static_cast<int>(T * N), grad_combined_.data());
  grad_decoder_states_.resize(states.shape());
  for (int64_t row = 0; row < T * N; ++row)
    std::copy_n(grad_combined_.data() + row * C + E, H, grad_decoder_states_.data() + row * H);

  // Through c_t = sum_j a_t(j) s_j.
  grad_weights_.resize({N, T, S});
  grad_encoder_outputs_.resize(source_->shape());
  p.grad_weights.execute(context_->stream(), {{DNNL_ARG_SRC, mem(p.context, grad_combined_.data())},
                                              {DNNL_ARG_WEIGHTS, mem(p.source_t, source_->data())},
                                              {DNNL_ARG_DST, mem(p.weights, grad_weights_.data())}});
  p.grad_source.execute(context_->stream(), {{DNNL_ARG_SRC, mem(p.weights_t, weights_.data())},
                                             {DNNL_ARG_WEIGHTS, mem(p.context, grad_combined_.data())},
                                             {DNNL_ARG_DST, mem(p.source, grad_encoder_outputs_.data())}});
  context_->wait();

  // Through the softmax: d score_j = a_j (d a_j - sum_k a_k d a_k); padding has a_j = 0.
  for (int64_t row = 0; row < N * T; ++row) {
    const float* a = weights_.data() + row * S;
    float* g = grad_weights_.data() + row * S;
    float dot = 0;
    for (int64_t j = 0; j < S; ++j) dot += a[j] * g[j];
    for (int64_t j = 0; j < S; ++j) g[j] = a[j] * (g[j] - dot);
  }

  // Through the scores h_t . k_j: into the decoder states and the keys.
  p.grad_states.execute(context_->stream(), {{DNNL_ARG_SRC, mem(p.weights, grad_weights_.data())},
                                             {DNNL_ARG_WEIGHTS, mem(p.keys, keys.data())},
                                             {DNNL_ARG_DST, mem(p.states, grad_decoder_states_.data())}});
  if (type_ == AttentionType::dot) {
    p.grad_keys_into_source.execute(context_->stream(),
                                    {{DNNL_ARG_SRC, mem(p.weights_t, grad_weights_.data())},
                                     {DNNL_ARG_WEIGHTS, mem(p.states, states.data())},
                                     {DNNL_ARG_DST, mem(p.source, grad_encoder_outputs_.data())}});
    context_->wait();
    return;
  }
  grad_keys_.resize({S, N, H});
  p.grad_keys.execute(context_->stream(), {{DNNL_ARG_SRC, mem(p.weights_t, grad_weights_.data())},
                                           {DNNL_ARG_WEIGHTS, mem(p.states, states.data())},
                                           {DNNL_ARG_DST, mem(p.keys, grad_keys_.data())}});
  context_->wait();
  grad_source_from_keys_.resize(source_->shape());
  score_projection_.backward(source_->data(), grad_keys_.data(), static_cast<int>(S * N),
                             grad_source_from_keys_.data());
  for (int64_t i = 0; i < grad_encoder_outputs_.size(); ++i) grad_encoder_outputs_[i] += grad_source_from_keys_[i];
}

AttentionSource LuongAttention::make_source(const Tensor& encoder_outputs, const std::vector<int>& source_lengths) {
  check_source(encoder_outputs, source_lengths);
  const int64_t S = encoder_outputs.dim(0), N = encoder_outputs.dim(1);
  // [S, N, X] -> [N, S, X]
  const auto sentence_major = [S, N](const Tensor& time_major, Tensor& out) {
    const int64_t X = time_major.dim(2);
    out.resize({N, S, X});
    for (int64_t j = 0; j < S; ++j)
      for (int64_t n = 0; n < N; ++n)
        std::copy_n(time_major.data() + (j * N + n) * X, X, out.data() + (n * S + j) * X);
  };
  AttentionSource source{source_lengths, {}, {}};
  sentence_major(encoder_outputs, source.values);
  if (type_ == AttentionType::general) {
    Tensor keys({S, N, hidden_});
    score_projection_.forward(encoder_outputs.data(), static_cast<int>(S * N), keys.data());
    sentence_major(keys, source.keys);
  }
  return source;
}

void LuongAttention::step(const Tensor& states, const AttentionSource& source, const std::vector<int>& rows,
                          Tensor& weights, Tensor& output) {
  const Tensor& values = source.values;
  const int64_t N = static_cast<int64_t>(rows.size()), sentences = values.dim(0), S = values.dim(1);
  const int64_t H = hidden_, E = encoder_, C = E + H;
  if (states.size() != N * H || states.dim(states.rank() - 1) != H)
    throw Error("attention: decoder states " + to_string(states.shape()) + " for " + std::to_string(N) + " rows");
  const float* keys = type_ == AttentionType::general ? source.keys.data() : values.data();
  weights.resize({N, S});
  step_combined_.resize({N, C});
  for (int64_t r = 0; r < N; ++r) {
    const int sentence = rows[static_cast<std::size_t>(r)];
    if (sentence < 0 || sentence >= sentences)
      throw Error("attention: row " + std::to_string(r) + " reads sentence " + std::to_string(sentence) + " of " +
                  std::to_string(sentences));
  }
  // Plain loops rather than a oneDNN product per row or run of rows: one step
  // is a few dot products per row, and each oneDNN call would pay for
  // dispatch and a parallel region of its own.
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < N; ++r) {
    const int sentence = rows[static_cast<std::size_t>(r)];
    attend_row(states.data() + r * H, keys + sentence * S * H, values.data() + sentence * S * E,
               source.lengths[static_cast<std::size_t>(sentence)], S, H, E, weights.data() + r * S,
               step_combined_.data() + r * C);
  }
  output.resize({N, H});
  if (int8_combine_) {
    int8_combine_->forward(step_combined_.data(), static_cast<int>(N), output.data());
  } else {
    combine_.forward(step_combined_.data(), static_cast<int>(N), output.data());  // tanh fused
  }
}

}  // namespace nmt::layers
