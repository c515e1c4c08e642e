#include <boost/test/unit_test.hpp>

#include <cmath>

#include "nmt/training/learning_rate.h"
#include "nmt/training/optimizer.h"

namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(adam_matches_the_textbook_update_over_several_steps) {
  std::vector<float> value{0.5f, -1.0f, 2.0f};
  std::vector<float> gradient(3);
  nmt::Optimizer adam({}, {{"w", value.data(), gradient.data(), 3}});
  // Reference in double: m, v with bias-corrected estimates, Kingma & Ba Algorithm 1.
  std::vector<double> ref(value.begin(), value.end()), m(3, 0), v(3, 0);
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  for (int t = 1; t <= 5; ++t) {
    for (int i = 0; i < 3; ++i) gradient[i] = static_cast<float>(std::sin(t + i) * (i + 1));
    const std::vector<float> used = gradient;
    adam.step(lr);
    BOOST_TEST(gradient == std::vector<float>(3, 0.0f), tt::per_element());  // consumed, ready to accumulate
    for (int i = 0; i < 3; ++i) {
      const double g = used[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const double m_hat = m[i] / (1 - std::pow(b1, t)), v_hat = v[i] / (1 - std::pow(b2, t));
      ref[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
  }
  for (int i = 0; i < 3; ++i) BOOST_TEST(value[i] == ref[i], tt::tolerance(1e-5));
  BOOST_TEST(adam.steps() == 5);
}

BOOST_AUTO_TEST_CASE(sgd_steps_against_the_gradient) {
  std::vector<float> value{1.0f, 2.0f}, gradient{0.5f, -4.0f};
  nmt::OptimizerOptions options;
  options.method = nmt::OptimizerMethod::sgd;
  nmt::Optimizer sgd(options, {{"w", value.data(), gradient.data(), 2}});
  sgd.step(0.1);
  BOOST_TEST(value[0] == 0.95f, tt::tolerance(1e-6f));
  BOOST_TEST(value[1] == 2.4f, tt::tolerance(1e-6f));
  BOOST_TEST(gradient == std::vector<float>(2, 0.0f), tt::per_element());
}

BOOST_AUTO_TEST_CASE(clipping_scales_the_joint_norm_down_only) {
  std::vector<float> a{3.0f}, b{4.0f}, va(1), vb(1);
  const std::vector<nmt::Parameter> params{{"a", va.data(), a.data(), 1}, {"b", vb.data(), b.data(), 1}};
  BOOST_TEST(nmt::clip_gradient_norm(params, 10.0) == 5.0, tt::tolerance(1e-12));
  BOOST_TEST(a[0] == 3.0f);
  BOOST_TEST(nmt::clip_gradient_norm(params, 1.0) == 5.0, tt::tolerance(1e-12));
  BOOST_TEST(nmt::gradient_norm(params) == 1.0, tt::tolerance(1e-6));
  BOOST_TEST(a[0] / b[0] == 0.75f, tt::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(gradient_norm_matches_a_double_sum_over_tensors_of_any_size) {
  // Sizes around the summing block (1,024) and thread slices, one empty.
  std::vector<std::vector<float>> gradients, values;
  double reference = 0;
  std::uint32_t state = 7;
  for (const std::size_t size : {std::size_t(1), std::size_t(1023), std::size_t(1025), std::size_t(0),
                                 std::size_t(100003), std::size_t(2048)}) {
    std::vector<float> g(size);
    for (float& x : g) {
      state = state * 1664525u + 1013904223u;
      x = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
      reference += static_cast<double>(x) * x;
    }
    gradients.push_back(std::move(g));
    values.emplace_back(size);
  }
  std::vector<nmt::Parameter> params;
  for (std::size_t k = 0; k < gradients.size(); ++k)
    params.push_back({"p" + std::to_string(k), values[k].data(), gradients[k].data(), gradients[k].size()});
  BOOST_TEST(nmt::gradient_norm(params) == std::sqrt(reference), tt::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(optimizer_state_round_trips_through_a_checkpoint) {
  std::vector<float> value{0.1f, 0.2f}, gradient{1.0f, -2.0f};
  std::vector<float> value2 = value, gradient2 = gradient;
  nmt::Optimizer first({}, {{"w", value.data(), gradient.data(), 2}});
  nmt::Optimizer second({}, {{"w", value2.data(), gradient2.data(), 2}});
  first.step(0.01);
  second.step(0.01);
  nmt::ModelFileWriter file;
  first.save(file);
  nmt::Optimizer restored({}, {{"w", value2.data(), gradient2.data(), 2}});
  restored.load(nmt::ModelFileReader::parse(file.serialize(), "checkpoint"));
  BOOST_TEST(restored.steps() == 1);
  first.step(0.01);
  restored.step(0.01);
  BOOST_TEST(value == value2, tt::per_element());  // bit-exact continuation
}

BOOST_AUTO_TEST_CASE(learning_rate_warms_up_then_decays) {
  nmt::LearningRateSchedule schedule;
  schedule.base = 1.0;
  schedule.warmup_steps = 4;
  BOOST_TEST(schedule.at(1) == 0.25);
  BOOST_TEST(schedule.at(4) == 1.0);
  BOOST_TEST(schedule.at(100) == 1.0);
  schedule.decay = nmt::LearningRateDecay::inverse_sqrt;
  BOOST_TEST(schedule.at(16) == 0.5, tt::tolerance(1e-12));
  schedule.decay = nmt::LearningRateDecay::exponential;
  schedule.decay_steps = 10;
  BOOST_TEST(schedule.at(4 + 25) == 0.25, tt::tolerance(1e-12));
  schedule.decay = nmt::LearningRateDecay::plateau;  // the trainer scales it after validations
  BOOST_TEST(schedule.at(1000) == 1.0);
  BOOST_CHECK_THROW(nmt::parse_enum(nmt::learning_rate_decay_names(), "sideways", "learning-rate decay"),
                    nmt::Error);
  BOOST_CHECK(nmt::parse_enum(nmt::learning_rate_decay_names(), "inverse-sqrt", "learning-rate decay") ==
              nmt::LearningRateDecay::inverse_sqrt);
}
