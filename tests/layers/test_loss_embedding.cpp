#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

#include "nmt/layers/embedding.h"
#include "nmt/layers/softmax_cross_entropy.h"

namespace tt = boost::test_tools;

namespace {

std::vector<float> random_values(std::size_t count, unsigned seed, float scale) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-scale, scale);
  std::vector<float> values(count);
  for (auto& v : values) v = uniform(rng);
  return values;
}

// Smoothed cross-entropy of one row written from its definition, in double.
double naive_row_loss(const std::vector<double>& z, int target, double eps) {
  double sum = 0;
  for (double v : z) sum += std::exp(v);
  double loss = 0;
  for (std::size_t j = 0; j < z.size(); ++j) {
    const double q = static_cast<int>(j) == target ? 1 - eps : eps / (z.size() - 1);
    loss -= q * (z[j] - std::log(sum));
  }
  return loss;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cross_entropy_value_and_gradient_match_definition_and_finite_differences) {
  const int rows = 4, vocab = 7;
  const float eps = 0.1f;
  const std::vector<int> targets{3, 0, 6, 5};  // row 1 is padding (id 0) and is ignored
  auto logits = random_values(rows * vocab, 1, 3.0f);
  std::vector<float> gradient(logits.size());
  const auto sums = nmt::layers::softmax_cross_entropy(logits.data(), targets.data(), rows, vocab, eps,
                                               /*ignore_id=*/0, /*gradient_scale=*/1.0f, gradient.data());
  BOOST_TEST(sums.tokens == 3u);
  double expected = 0;
  for (int r = 0; r < rows; ++r) {
    if (targets[r] == 0) continue;
    std::vector<double> z(logits.begin() + r * vocab, logits.begin() + (r + 1) * vocab);
    expected += naive_row_loss(z, targets[r], eps);
  }
  BOOST_TEST(sums.loss == expected, tt::tolerance(1e-6));

  // Central differences in double of the naive loss; f32 gradient, so 1e-4 absolute.
  const double h = 1e-4;
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < vocab; ++j) {
      const float g = gradient[r * vocab + j];
      if (targets[r] == 0) {
        BOOST_TEST(g == 0.0f);
        continue;
      }
      std::vector<double> z(logits.begin() + r * vocab, logits.begin() + (r + 1) * vocab);
      z[j] += h;
      const double up = naive_row_loss(z, targets[r], eps);
      z[j] -= 2 * h;
      const double down = naive_row_loss(z, targets[r], eps);
      BOOST_TEST(g == (up - down) / (2 * h), tt::tolerance(1e-4));
    }
  }
}

BOOST_AUTO_TEST_CASE(without_smoothing_loss_is_the_negative_log_likelihood) {
  const int vocab = 5;
  const auto logits = random_values(2 * vocab, 2, 2.0f);
  const std::vector<int> targets{4, 2};
  const auto sums = nmt::layers::softmax_cross_entropy(logits.data(), targets.data(), 2, vocab, 0.0f, -1,
                                               1.0f, nullptr);
  BOOST_TEST(sums.loss == sums.nll, tt::tolerance(1e-12));
  auto log_probs = logits;
  nmt::layers::log_softmax(log_probs.data(), 2, vocab);
  BOOST_TEST(sums.nll == -(log_probs[4] + log_probs[vocab + 2]), tt::tolerance(1e-6));
  double total = 0;
  for (int j = 0; j < vocab; ++j) total += std::exp(log_probs[j]);
  BOOST_TEST(total == 1.0, tt::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(embedding_gathers_rows_and_accumulates_repeated_ids) {
  nmt::layers::Embedding embedding(5, 3);
  embedding.weights() = random_values(15, 3, 1.0f);
  const std::vector<int> ids{4, 1, 4};
  std::vector<float> out(9);
  embedding.forward(ids.data(), 3, out.data());
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) BOOST_TEST(out[i * 3 + j] == embedding.weights()[ids[i] * 3 + j]);
  const std::vector<float> grad_out{1, 2, 3, 4, 5, 6, 7, 8, 9};
  embedding.backward(ids.data(), 3, grad_out.data());
  BOOST_TEST(embedding.gradient()[4 * 3 + 0] == 8.0f);
  BOOST_TEST(embedding.gradient()[1 * 3 + 2] == 6.0f);
  BOOST_TEST(embedding.gradient()[0] == 0.0f);
  const std::vector<int> bad{5};
  BOOST_CHECK_THROW(embedding.forward(bad.data(), 1, out.data()), std::exception);
}
