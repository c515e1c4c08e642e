#include "nmt/layers/lstm_layer.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "nmt/core/dnn_memory.h"
#include "nmt/core/error.h"
#include "nmt/core/random.h"
#include "nmt/layers/int8.h"

namespace nmt::layers {

using dnnl::memory;
using tag = memory::format_tag;

namespace {

memory::desc weights_layout(int64_t directions, int64_t rows, int64_t hidden, tag format) {
  return memory::desc({1, directions, rows, 4, hidden}, memory::data_type::f32, format);
}

int64_t direction_count(LstmDirection direction) {
  return direction == LstmDirection::unidirectional ? 1 : 2;
}

// Unidirectional tensors keep the shapes they had before directions existed;
// bidirectional ones gain a leading direction axis.
Shape with_directions(int64_t directions, Shape shape) {
  if (directions > 1) shape.insert(shape.begin(), directions);
  return shape;
}

dnnl::rnn_direction dnnl_direction(LstmDirection direction) {
  return direction == LstmDirection::unidirectional
             ? dnnl::rnn_direction::unidirectional_left2right
             : dnnl::rnn_direction::bidirectional_concat;
}

}  // namespace

struct LstmLayer::Primitives {
  dnnl::lstm_forward::primitive_desc forward_pd;
  dnnl::lstm_forward forward;
  // Only for training shapes.
  dnnl::lstm_backward::primitive_desc backward_pd;
  dnnl::lstm_backward backward;
};

LstmLayer::LstmLayer(DnnContext& context, int64_t input_size, int64_t hidden_size,
                     LstmDirection direction)
    : context_(&context),
      input_size_(input_size),
      hidden_size_(hidden_size),
      direction_(direction),
      weights_layer_(with_directions(direction_count(direction), {input_size, 4, hidden_size})),
      weights_iter_(with_directions(direction_count(direction), {hidden_size, 4, hidden_size})),
      bias_(with_directions(direction_count(direction), {4, hidden_size})),
      grad_weights_layer_(weights_layer_.shape()),
      grad_weights_iter_(weights_iter_.shape()),
      grad_bias_(bias_.shape()),
      weights_layer_copies_(
          weights_layout(direction_count(direction), input_size, hidden_size, tag::ldigo)),
      weights_iter_copies_(
          weights_layout(direction_count(direction), hidden_size, hidden_size, tag::ldigo)) {
  if (input_size <= 0 || hidden_size <= 0) {
    throw Error("LstmLayer: input and hidden sizes must be positive, got " +
                std::to_string(input_size) + " and " + std::to_string(hidden_size));
  }
}

Shape LstmLayer::state_shape(int64_t batch) const {
  return with_directions(directions(), {batch, hidden_size_});
}

void LstmLayer::initialize(uint64_t seed) {
  Rng rng(seed);
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden_size_));
  for (Tensor* parameter : {&weights_layer_, &weights_iter_, &bias_}) {
    for (int64_t i = 0; i < parameter->size(); ++i) (*parameter)[i] = rng.uniform(-bound, bound);
  }
  weights_changed();
}

void LstmLayer::weights_changed() {
  weights_layer_copies_.master_changed();
  weights_iter_copies_.master_changed();
  if (quantized()) quantize_for_inference(int8_input_bound_);
}

void LstmLayer::quantize_for_inference(float input_bound) {
  if (!(input_bound > 0) || !std::isfinite(input_bound))
    throw Error("LstmLayer: the int8 input bound must be positive, got " + std::to_string(input_bound));
  const int64_t D = directions(), C = input_size_, H = hidden_size_;
  Tensor scaled_weights_layer = weights_layer_;  // the input arrives divided by input_bound
  for (int64_t i = 0; i < scaled_weights_layer.size(); ++i) scaled_weights_layer[i] *= input_bound;
  // One scale per gate and unit over both weight matrices (oneDNN applies the
  // same scales to both) and both directions (it takes no per-direction scales).
  std::vector<float> max_abs(static_cast<std::size_t>(4 * H), 0.0f);
  const auto gather = [&](const Tensor& weights) {
    for (int64_t i = 0; i < weights.size(); ++i) {
      float& m = max_abs[static_cast<std::size_t>(i % (4 * H))];
      m = std::max(m, std::fabs(weights[i]));
    }
  };
  gather(scaled_weights_layer);
  gather(weights_iter_);
  int8_scales_.resize(max_abs.size());
  for (std::size_t i = 0; i < max_abs.size(); ++i) int8_scales_[i] = int8::weight_scale(max_abs[i]);
  // Quantized here once, as oneDNN's reorder would (round to nearest even):
  // packing s8 codes for a primitive is then 20x cheaper than packing from
  // f32, and the int8 encoder packs anew for nearly every batch (see
  // reordered_weights.h).
  const auto quantize = [&](const Tensor& weights, std::vector<std::int8_t>& codes) {
    codes.resize(static_cast<std::size_t>(weights.size()));
    for (int64_t i = 0; i < weights.size(); ++i) {
      const float code = std::nearbyint(weights[i] * int8_scales_[static_cast<std::size_t>(i % (4 * H))]);
      codes[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(std::clamp(code, -128.0f, 127.0f));
    }
  };
  quantize(scaled_weights_layer, int8_weights_layer_);
  quantize(weights_iter_, int8_weights_iter_);
  const auto codes_layout = [&](int64_t rows) {
    return memory::desc({1, D, rows, 4, H}, memory::data_type::s8, tag::ldigo);
  };
  int8_layer_copies_ = std::make_unique<ReorderedWeights>(codes_layout(C));
  int8_iter_copies_ = std::make_unique<ReorderedWeights>(codes_layout(H));
  int8_input_bound_ = input_bound;
  ++int8_generation_;  // primitives made for earlier scales are not reused
}

dnnl::primitive_attr LstmLayer::int8_attr() const {
  dnnl::primitive_attr attr;
  // u8 = x * 127 + 128 for the (divided) input and for h alike.
  attr.set_rnn_data_qparams(int8::kInputLevels, static_cast<float>(int8::kZeroPoint));
  attr.set_rnn_weights_qparams((1 << 3) | (1 << 4), int8_scales_);  // per gate and unit of ldigo
  return attr;
}

void LstmLayer::zero_grad() {
  grad_weights_layer_.zero();
  grad_weights_iter_.zero();
  grad_bias_.zero();
}

LstmLayer::Arithmetic LstmLayer::arithmetic(bool training) const {
  if (quantized() && !training) return Arithmetic::int8;
  return context_->bf16() ? Arithmetic::bf16 : Arithmetic::f32;
}

LstmLayer::Primitives LstmLayer::create_primitives(int64_t steps, int64_t batch, bool training,
                                                   Arithmetic arithmetic) const {
  using dt = memory::data_type;
  const int64_t C = input_size_, H = hidden_size_, D = directions();
  // Gradients, the cell state and the bias are f32 in every arithmetic (oneDNN
  // requires f32 gradients for bf16); the input, output and h follow it.
  const dt data = arithmetic == Arithmetic::bf16 ? dt::bf16 : dt::f32;
  const memory::desc src_layer({steps, batch, C}, arithmetic == Arithmetic::int8 ? dt::u8 : data, tag::tnc);
  const memory::desc dst_layer({steps, batch, D * H}, data, tag::tnc);
  const memory::desc state({1, D, batch, H}, data, tag::ldnc);
  const memory::desc cell = plain_desc({1, D, batch, H}, tag::ldnc);
  const memory::desc bias = plain_desc({1, D, 4, H}, tag::ldgo);
  // The primitive picks the weights' layout; gradients stay in the master's.
  const dt weights_type = arithmetic == Arithmetic::int8 ? dt::s8 : data;
  const memory::desc weights_layer_any({1, D, C, 4, H}, weights_type, tag::any);
  const memory::desc weights_iter_any({1, D, H, 4, H}, weights_type, tag::any);
  const auto direction = dnnl_direction(direction_);
  const auto prop =
      training ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;

  Primitives p;
  const dnnl::lstm_forward::desc forward_desc(prop, direction, src_layer, state, cell, weights_layer_any,
                                              weights_iter_any, bias, dst_layer, state, cell);
  p.forward_pd = arithmetic == Arithmetic::int8
                     ? dnnl::lstm_forward::primitive_desc(forward_desc, int8_attr(), context_->engine())
                     : dnnl::lstm_forward::primitive_desc(forward_desc, context_->engine());
  p.forward = dnnl::lstm_forward(p.forward_pd);
  if (!training) return p;

  const memory::desc grad_src_layer = plain_desc({steps, batch, C}, tag::tnc);
  const memory::desc grad_dst_layer = plain_desc({steps, batch, D * H}, tag::tnc);
  dnnl::lstm_backward::desc backward_desc(
      dnnl::prop_kind::backward, direction, src_layer, state, cell, weights_layer_any,
      weights_iter_any, bias, dst_layer, state, cell, grad_src_layer, cell, cell,
      weights_layout(D, C, H, tag::ldigo), weights_layout(D, H, H, tag::ldigo), bias, grad_dst_layer, cell, cell);
  p.backward_pd =
      dnnl::lstm_backward::primitive_desc(backward_desc, context_->engine(), p.forward_pd);
  p.backward = dnnl::lstm_backward(p.backward_pd);
  return p;
}

std::shared_ptr<LstmLayer::Primitives> LstmLayer::primitives_for(int64_t steps, int64_t batch,
                                                                 bool training) {
  const Arithmetic kind = arithmetic(training);
  return cache_.get(ShapeKey{steps, batch, training, kind, kind == Arithmetic::int8 ? int8_generation_ : 0},
                    [&] { return create_primitives(steps, batch, training, kind); });
}

void LstmLayer::check_state(const Tensor* state, int64_t batch, const char* what) const {
  if (state != nullptr && state->shape() != state_shape(batch)) {
    throw Error(std::string("LstmLayer: ") + what + " of shape " + to_string(state->shape()) +
                ", expected " + to_string(state_shape(batch)));
  }
}

const Tensor& LstmLayer::state_or_zeros(const Tensor* state, int64_t batch) {
  if (state != nullptr) return *state;
  zeros_.resize(state_shape(batch));
  zeros_.zero();
  return zeros_;
}

void LstmLayer::forward(const Tensor& x, LstmState initial, bool training) {
  if (x.rank() != 3 || x.dim(2) != input_size_) {
    throw Error("LstmLayer::forward: input of shape " + to_string(x.shape()) +
                ", expected [T, N, " + std::to_string(input_size_) + "]");
  }
  const int64_t steps = x.dim(0), batch = x.dim(1);
  check_state(initial.h, batch, "initial h");
  check_state(initial.c, batch, "initial c");
  // Step-by-step decoding feeds the final state back in; oneDNN does not
  // promise that src_iter may alias dst_iter, so read from a copy.
  if (initial.h == &final_h_) initial.h = &(carried_h_ = final_h_);
  if (initial.c == &final_c_) initial.c = &(carried_c_ = final_c_);
  // A new forward overwrites the activations an earlier backward would need.
  last_training_.reset();
  const std::shared_ptr<Primitives> p = primitives_for(steps, batch, training);
  const auto& pd = p->forward_pd;
  const dnnl::engine& engine = context_->engine();

  output_.resize({steps, batch, output_size()});
  final_h_.resize(state_shape(batch));
  final_c_.resize(state_shape(batch));
  const Arithmetic kind = arithmetic(training);
  const Tensor& h0 = state_or_zeros(initial.h, batch);
  memory src_layer, src_iter, dst_layer, dst_iter, weights_layer, weights_iter;
  if (kind == Arithmetic::int8) {
    int8_input_.resize(static_cast<std::size_t>(x.size()));
    int8::quantize_input(x.data(), int8_input_.size(), int8_input_bound_, int8_input_.data());
    src_layer = memory(pd.src_layer_desc(), engine, int8_input_.data());
    weights_layer = int8_layer_copies_->in_layout(int8_weights_layer_.data(), pd.weights_layer_desc(), *context_);
    weights_iter = int8_iter_copies_->in_layout(int8_weights_iter_.data(), pd.weights_iter_desc(), *context_);
  } else {
    weights_layer = weights_layer_copies_.in_layout(weights_layer_, pd.weights_layer_desc(), *context_);
    weights_iter = weights_iter_copies_.in_layout(weights_iter_, pd.weights_iter_desc(), *context_);
  }
  if (kind == Arithmetic::bf16) {
    const auto size = [](const Tensor& t) { return static_cast<std::size_t>(t.size()); };
    src_layer = memory(pd.src_layer_desc(), engine, to_bf16(x.data(), size(x), x_bf16_));
    src_iter = memory(pd.src_iter_desc(), engine, to_bf16(h0.data(), size(h0), initial_h_bf16_));
    output_bf16_.resize(size(output_));
    final_h_bf16_.resize(size(final_h_));
    dst_layer = memory(pd.dst_layer_desc(), engine, output_bf16_.data());
    dst_iter = memory(pd.dst_iter_desc(), engine, final_h_bf16_.data());
  } else {
    if (kind == Arithmetic::f32) src_layer = as_memory(x, pd.src_layer_desc(), engine);
    src_iter = as_memory(h0, pd.src_iter_desc(), engine);
    dst_layer = as_memory(output_, pd.dst_layer_desc(), engine);
    dst_iter = as_memory(final_h_, pd.dst_iter_desc(), engine);
  }
  std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC_LAYER, src_layer},
      {DNNL_ARG_SRC_ITER, src_iter},
      {DNNL_ARG_SRC_ITER_C,
       as_memory(state_or_zeros(initial.c, batch), pd.src_iter_c_desc(), engine)},
      {DNNL_ARG_WEIGHTS_LAYER, weights_layer},
      {DNNL_ARG_WEIGHTS_ITER, weights_iter},
      {DNNL_ARG_BIAS, as_memory(bias_, pd.bias_desc(), engine)},
      {DNNL_ARG_DST_LAYER, dst_layer},
      {DNNL_ARG_DST_ITER, dst_iter},
      {DNNL_ARG_DST_ITER_C, as_memory(final_c_, pd.dst_iter_c_desc(), engine)},
  };
  if (training) {
    const memory::desc workspace = pd.workspace_desc();
    const auto floats =
        static_cast<int64_t>((workspace.get_size() + sizeof(float) - 1) / sizeof(float));
    if (workspace_.size() < floats) workspace_.resize({floats});
    args.emplace(DNNL_ARG_WORKSPACE, memory(workspace, engine, workspace_.data()));
  }
  p->forward.execute(context_->stream(), args);
  context_->wait();
  if (kind == Arithmetic::bf16) {
    from_bf16(output_bf16_.data(), output_bf16_.size(), output_.data());
    from_bf16(final_h_bf16_.data(), final_h_bf16_.size(), final_h_.data());
  }
  if (training) last_training_ = p;
}

void LstmLayer::backward(const Tensor& x, LstmState initial, const Tensor& grad_output,
                         LstmState grad_final) {
  if (!last_training_) {
    throw Error(
        "LstmLayer::backward: no forward(training = true) since the last inference forward");
  }
  const int64_t steps = output_.dim(0), batch = output_.dim(1);
  if (x.shape() != Shape{steps, batch, input_size_}) {
    throw Error("LstmLayer::backward: input of shape " + to_string(x.shape()) +
                ", but the last forward ran on " + to_string({steps, batch, input_size_}));
  }
  if (grad_output.shape() != output_.shape()) {
    throw Error("LstmLayer::backward: output gradient of shape " + to_string(grad_output.shape()) +
                ", expected " + to_string(output_.shape()));
  }
  check_state(initial.h, batch, "initial h");
  check_state(initial.c, batch, "initial c");
  check_state(grad_final.h, batch, "final h gradient");
  check_state(grad_final.c, batch, "final c gradient");
  const auto& pd = last_training_->backward_pd;
  const dnnl::engine& engine = context_->engine();

  grad_input_.resize({steps, batch, input_size_});
  grad_initial_h_.resize(state_shape(batch));
  grad_initial_c_.resize(state_shape(batch));
  const Tensor& zeros = state_or_zeros(nullptr, batch);
  auto state = [&](const Tensor* given) -> const Tensor& { return given ? *given : zeros; };
  // bf16 primitives read the forward's own bf16 copies of x, h0, output and final h.
  const bool bf16 = pd.src_layer_desc().data_type() == memory::data_type::bf16;
  const auto data = [&](const memory::desc& desc, const Tensor& f32, Bf16Buffer& copy) {
    return bf16 ? memory(desc, engine, copy.data()) : as_memory(f32, desc, engine);
  };
  const std::unordered_map<int, memory> args{
      {DNNL_ARG_SRC_LAYER, data(pd.src_layer_desc(), x, x_bf16_)},
      {DNNL_ARG_SRC_ITER, data(pd.src_iter_desc(), state(initial.h), initial_h_bf16_)},
      {DNNL_ARG_SRC_ITER_C, as_memory(state(initial.c), pd.src_iter_c_desc(), engine)},
      {DNNL_ARG_WEIGHTS_LAYER,
       weights_layer_copies_.in_layout(weights_layer_, pd.weights_layer_desc(), *context_)},
      {DNNL_ARG_WEIGHTS_ITER,
       weights_iter_copies_.in_layout(weights_iter_, pd.weights_iter_desc(), *context_)},
      {DNNL_ARG_BIAS, as_memory(bias_, pd.bias_desc(), engine)},
      {DNNL_ARG_DST_LAYER, data(pd.dst_layer_desc(), output_, output_bf16_)},
      {DNNL_ARG_DST_ITER, data(pd.dst_iter_desc(), final_h_, final_h_bf16_)},
      {DNNL_ARG_DST_ITER_C, as_memory(final_c_, pd.dst_iter_c_desc(), engine)},
      {DNNL_ARG_WORKSPACE, memory(pd.workspace_desc(), engine, workspace_.data())},
      {DNNL_ARG_DIFF_SRC_LAYER, as_memory(grad_input_, pd.diff_src_layer_desc(), engine)},
      {DNNL_ARG_DIFF_SRC_ITER, as_memory(grad_initial_h_, pd.diff_src_iter_desc(), engine)},
      {DNNL_ARG_DIFF_SRC_ITER_C, as_memory(grad_initial_c_, pd.diff_src_iter_c_desc(), engine)},
      {DNNL_ARG_DIFF_WEIGHTS_LAYER,
       as_memory(grad_weights_layer_, pd.diff_weights_layer_desc(), engine)},
      {DNNL_ARG_DIFF_WEIGHTS_ITER,
       as_memory(grad_weights_iter_, pd.diff_weights_iter_desc(), engine)},
      {DNNL_ARG_DIFF_BIAS, as_memory(grad_bias_, pd.diff_bias_desc(), engine)},
      {DNNL_ARG_DIFF_DST_LAYER, as_memory(grad_output, pd.diff_dst_layer_desc(), engine)},
      {DNNL_ARG_DIFF_DST_ITER, as_memory(state(grad_final.h), pd.diff_dst_iter_desc(), engine)},
      {DNNL_ARG_DIFF_DST_ITER_C, as_memory(state(grad_final.c), pd.diff_dst_iter_c_desc(), engine)},
  };
  last_training_->backward.execute(context_->stream(), args);
  context_->wait();
}

std::string LstmLayer::forward_impl_name(int64_t steps, int64_t batch, bool training) {
  return primitives_for(steps, batch, training)->forward_pd.impl_info_str();
}

std::string LstmLayer::backward_impl_name(int64_t steps, int64_t batch) {
  return primitives_for(steps, batch, true)->backward_pd.impl_info_str();
}

}  // namespace nmt::layers
