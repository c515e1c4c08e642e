// Luong attention against a plain double-precision loop implementation, and
// every gradient against central finite differences of that reference.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "nmt/core/error.h"
#include "nmt/layers/attention.h"
#include "test_util.h"

namespace {

using nmt::Tensor;
using nmt::layers::AttentionType;
using nmt::layers::LuongAttention;
using nmt::testing::Values;

// The problem in double precision, laid out as the layer's tensors.
struct Problem {
  int64_t T, N, S, H, E;
  AttentionType type;
  std::vector<int> lengths;
  Values states;   // [T][N][H]
  Values source;   // [S][N][E]
  Values w_a;      // [H][E] (general)
  Values w_c;      // [H][E + H]
  Values weights;  // of the loss: sum of output * weights, [T][N][H]
};

// out [T][N][H]; attention [N][T][S] if asked for.
Values reference_forward(const Problem& p, Values* attention = nullptr) {
  const int64_t C = p.E + p.H;
  Values out(static_cast<std::size_t>(p.T * p.N * p.H));
  if (attention) attention->assign(static_cast<std::size_t>(p.N * p.T * p.S), 0.0);
  for (int64_t t = 0; t < p.T; ++t) {
    for (int64_t n = 0; n < p.N; ++n) {
      const double* h = &p.states[static_cast<std::size_t>((t * p.N + n) * p.H)];
      const int64_t length = p.lengths[static_cast<std::size_t>(n)];
      std::vector<double> score(static_cast<std::size_t>(length));
      for (int64_t j = 0; j < length; ++j) {
        const double* s = &p.source[static_cast<std::size_t>((j * p.N + n) * p.E)];
        double value = 0;
        for (int64_t k = 0; k < p.H; ++k) {
          double key = 0;  // (W_a s_j)_k, or s_j itself for dot
          if (p.type == AttentionType::general) {
            for (int64_t e = 0; e < p.E; ++e) key += p.w_a[static_cast<std::size_t>(k * p.E + e)] * s[e];
          } else {
            key = s[k];
          }
          value += h[k] * key;
        }
        score[static_cast<std::size_t>(j)] = value;
      }
      double top = score[0], sum = 0;
      for (const double v : score) top = std::max(top, v);
      for (auto& v : score) sum += v = std::exp(v - top);
      for (auto& v : score) v /= sum;
      std::vector<double> combined(static_cast<std::size_t>(C), 0.0);
      for (int64_t j = 0; j < length; ++j) {
        if (attention) (*attention)[static_cast<std::size_t>((n * p.T + t) * p.S + j)] = score[static_cast<std::size_t>(j)];
        for (int64_t e = 0; e < p.E; ++e)
          combined[static_cast<std::size_t>(e)] +=
              score[static_cast<std::size_t>(j)] * p.source[static_cast<std::size_t>((j * p.N + n) * p.E + e)];
      }
      for (int64_t k = 0; k < p.H; ++k) combined[static_cast<std::size_t>(p.E + k)] = h[k];
      for (int64_t o = 0; o < p.H; ++o) {
        double value = 0;
        for (int64_t i = 0; i < C; ++i) value += p.w_c[static_cast<std::size_t>(o * C + i)] * combined[static_cast<std::size_t>(i)];
        out[static_cast<std::size_t>((t * p.N + n) * p.H + o)] = std::tanh(value);
      }
    }
  }
  return out;
}

double reference_loss(const Problem& p) {
  const Values out = reference_forward(p);
  double loss = 0;
  for (std::size_t i = 0; i < out.size(); ++i) loss += out[i] * p.weights[i];
  return loss;
}

Tensor tensor_of(const Values& values, const nmt::Shape& shape) {
  Tensor tensor(shape);
  for (int64_t i = 0; i < tensor.size(); ++i) tensor[i] = static_cast<float>(values[static_cast<std::size_t>(i)]);
  return tensor;
}

Values values_of(const float* data, int64_t count) { return Values(data, data + count); }

// Random values that are exactly floats, so the layer and the reference see the same numbers.
Values random_values(int64_t count, nmt::Rng& rng, float bound) {
  Values values(static_cast<std::size_t>(count));
  for (auto& v : values) v = rng.uniform(-bound, bound);
  return values;
}

void check_against_reference(AttentionType type, int64_t E, const std::vector<int>& lengths, const std::string& what) {
  nmt::DnnContext context;
  nmt::Rng rng(11);
  Problem p{4, static_cast<int64_t>(lengths.size()), 5, 6, E, type, lengths, {}, {}, {}, {}, {}};
  p.states = random_values(p.T * p.N * p.H, rng, 1.0f);
  p.source = random_values(p.S * p.N * p.E, rng, 1.0f);
  p.w_a = random_values(p.H * p.E, rng, 0.8f);
  p.w_c = random_values(p.H * (p.E + p.H), rng, 0.6f);
  p.weights = random_values(p.T * p.N * p.H, rng, 1.0f);

  LuongAttention layer(context, type, p.H, p.E);
  std::copy(p.w_c.begin(), p.w_c.end(), layer.combine().weights());
  if (auto* projection = layer.score_projection()) std::copy(p.w_a.begin(), p.w_a.end(), projection->weights());
  const Tensor states = tensor_of(p.states, {p.T, p.N, p.H});
  const Tensor source = tensor_of(p.source, {p.S, p.N, p.E});
  layer.zero_grad();
  layer.set_source(source, lengths);
  layer.forward(states);

  // Forward: sums of at most E + H = 12 products of O(1) floats through exp
  // and tanh; f32 rounding leaves ~1e-7, a wrong term or mask 1e-2 or more.
  Values attention;
  const Values expected = reference_forward(p, &attention);
  nmt::testing::check_close(layer.output(), expected, 1e-6, what + ": output");
  nmt::testing::check_close(layer.attention_weights(), attention, 1e-6, what + ": attention weights");

  layer.backward(tensor_of(p.weights, {p.T, p.N, p.H}));
  layer.backward(tensor_of(p.weights, {p.T, p.N, p.H}));  // parameter gradients accumulate: twice

  // Gradients: f32 against finite differences of the double reference (whose
  // own truncation error is ~1e-10 at step 1e-5); sums over T * N = 12 rows
  // add a little to the forward's rounding.
  const double step = nmt::testing::kFiniteDifferenceStep, tolerance = 2e-6;
  const auto loss = [&] { return reference_loss(p); };
  nmt::testing::check_close(layer.grad_decoder_states(), nmt::testing::finite_difference(loss, p.states, step),
                            tolerance, what + ": d states");
  nmt::testing::check_close(layer.grad_encoder_outputs(), nmt::testing::finite_difference(loss, p.source, step),
                            tolerance, what + ": d encoder outputs");
  const auto twice = [](Values v) {
    for (auto& x : v) x *= 2;
    return v;
  };
  nmt::testing::check_close(values_of(layer.combine().weight_gradient(), p.H * (p.E + p.H)),
                            twice(nmt::testing::finite_difference(loss, p.w_c, step)), tolerance, what + ": d W_c");
  if (auto* projection = layer.score_projection())
    nmt::testing::check_close(values_of(projection->weight_gradient(), p.H * p.E),
                              twice(nmt::testing::finite_difference(loss, p.w_a, step)), tolerance, what + ": d W_a");
}

}  // namespace

BOOST_AUTO_TEST_CASE(dot_attention_matches_reference_and_finite_differences) {
  check_against_reference(AttentionType::dot, 6, {5, 5, 5}, "dot, full batch");
  check_against_reference(AttentionType::dot, 6, {5, 2, 1}, "dot, padded sources");
}

BOOST_AUTO_TEST_CASE(general_attention_matches_reference_and_finite_differences) {
  check_against_reference(AttentionType::general, 6, {5, 3, 4}, "general");
  check_against_reference(AttentionType::general, 9, {2, 5, 1}, "general, encoder wider than decoder");
}

BOOST_AUTO_TEST_CASE(padding_gets_no_attention) {
  nmt::DnnContext context;
  nmt::Rng rng(3);
  LuongAttention layer(context, AttentionType::dot, 4, 4);
  layer.initialize(1);
  const Tensor source = nmt::testing::random_tensor({6, 2, 4}, rng);
  const Tensor states = nmt::testing::random_tensor({3, 2, 4}, rng);
  layer.set_source(source, {6, 2});
  layer.forward(states);
  const Tensor& a = layer.attention_weights();
  for (int64_t t = 0; t < 3; ++t) {
    double sum0 = 0, sum1 = 0;
    for (int64_t j = 0; j < 6; ++j) {
      sum0 += a[(0 * 3 + t) * 6 + j];
      sum1 += a[(1 * 3 + t) * 6 + j];
      if (j >= 2) BOOST_TEST(a[(1 * 3 + t) * 6 + j] == 0.0f);
    }
    BOOST_TEST(sum0 == 1.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(sum1 == 1.0, boost::test_tools::tolerance(1e-6));
  }
}

BOOST_AUTO_TEST_CASE(attention_refuses_mismatched_shapes) {
  nmt::DnnContext context;
  BOOST_CHECK_THROW(LuongAttention(context, AttentionType::dot, 4, 6), nmt::Error);
  LuongAttention layer(context, AttentionType::general, 4, 6);
  const Tensor source({5, 2, 6});
  BOOST_CHECK_THROW(layer.set_source(source, {5}), nmt::Error);
  BOOST_CHECK_THROW(layer.set_source(source, {5, 0}), nmt::Error);
  BOOST_CHECK_THROW(layer.set_source(source, {5, 6}), nmt::Error);
  layer.set_source(source, {5, 3});
  BOOST_CHECK_THROW(layer.forward(Tensor({3, 2, 5})), nmt::Error);
}

// A search step on rows that read sentences through an index (beams of one
// sentence, in any order) is the reference on the sentences copied per row.
BOOST_AUTO_TEST_CASE(a_step_reads_each_rows_sentence_through_the_index) {
  for (const AttentionType type : {AttentionType::dot, AttentionType::general}) {
    const std::string what = type == AttentionType::dot ? "dot" : "general";
    nmt::DnnContext context;
    nmt::Rng rng(5);
    const int64_t sentences = 3, S = 5, H = 6, E = 6;
    const std::vector<int> lengths{5, 2, 4}, rows{2, 0, 0, 1, 2, 2};
    const Values source = random_values(S * sentences * E, rng, 1.0f);
    Problem p{1, static_cast<int64_t>(rows.size()), S, H, E, type, {}, {}, {}, {}, {}, {}};
    for (const int n : rows) p.lengths.push_back(lengths[static_cast<std::size_t>(n)]);
    p.states = random_values(p.N * H, rng, 1.0f);
    p.source.resize(static_cast<std::size_t>(S * p.N * E));
    for (int64_t j = 0; j < S; ++j)
      for (int64_t r = 0; r < p.N; ++r)
        std::copy_n(&source[static_cast<std::size_t>((j * sentences + rows[static_cast<std::size_t>(r)]) * E)], E,
                    &p.source[static_cast<std::size_t>((j * p.N + r) * E)]);
    p.w_a = random_values(H * E, rng, 0.8f);
    p.w_c = random_values(H * (E + H), rng, 0.6f);

    LuongAttention layer(context, type, H, E);
    std::copy(p.w_c.begin(), p.w_c.end(), layer.combine().weights());
    if (auto* projection = layer.score_projection()) std::copy(p.w_a.begin(), p.w_a.end(), projection->weights());
    // A pending teacher-forced forward is left alone.
    const Tensor batch_source = tensor_of(p.source, {S, p.N, E});
    const Tensor states = tensor_of(p.states, {1, p.N, H});
    layer.set_source(batch_source, p.lengths);
    layer.forward(states);
    const Tensor forward_output = layer.output();

    const Tensor sentence_source = tensor_of(source, {S, sentences, E});
    const auto attended = layer.make_source(sentence_source, lengths);
    Tensor weights, output;
    layer.step(tensor_of(p.states, {p.N, H}), attended, rows, weights, output);
    Values attention;
    const Values expected = reference_forward(p, &attention);
    nmt::testing::check_close(output, expected, 1e-6, what + ": step output");
    nmt::testing::check_close(weights, attention, 1e-6, what + ": step weights");
    nmt::testing::check_close(layer.output(), values_of(forward_output.data(), forward_output.size()), 0.0,
                              what + ": forward output after a step");
    BOOST_CHECK_THROW(layer.step(tensor_of(p.states, {p.N, H}), attended, {0, 1, 2, 3, 0, 0}, weights, output),
                      nmt::Error);
  }
}
