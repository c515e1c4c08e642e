#pragma once
// The whole-model gradient check the model tests share: the gradient
// train_batch() left in the parameters against central differences of
// evaluate_batch()'s loss. f32 forward: loss noise ~1e-6 relative on a loss
// of ~20, so with h = 1e-2 the central difference carries ~2e-3 absolute
// error; truncation is O(h^2). Hence |numeric - analytic| <= 3e-3 + 2e-2 |numeric|.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "nmt/model/batching.h"
#include "nmt/model/seq2seq_model.h"

namespace nmt::testing {

// Checks about per_tensor entries of every parameter. skip, when given, is
// asked after each perturbed evaluation whether to leave the entry out (a
// point where the loss is not differentiable). Returns the entries checked.
inline int check_against_finite_differences(Seq2SeqModel& model, const Batch& batch, std::size_t per_tensor,
                                            const std::function<bool()>& skip = {}) {
  const double h = 1e-2;
  int checked = 0;
  for (const auto& p : model.parameters()) {
    const std::size_t stride = std::max<std::size_t>(1, p.size / per_tensor);
    for (std::size_t i = 0; i < p.size; i += stride) {
      const float saved = p.value[i];
      p.value[i] = saved + static_cast<float>(h);
      model.weights_changed();
      const double up = model.evaluate_batch(batch).loss;
      bool skipped = skip && skip();
      p.value[i] = saved - static_cast<float>(h);
      model.weights_changed();
      const double down = model.evaluate_batch(batch).loss;
      skipped = (skip && skip()) || skipped;
      p.value[i] = saved;
      model.weights_changed();
      if (skipped) continue;
      const double numeric = (up - down) / (2 * h);
      BOOST_TEST(std::abs(numeric - p.gradient[i]) <= 3e-3 + 2e-2 * std::abs(numeric),
                 p.name << "[" << i << "]: finite difference " << numeric << ", backward " << p.gradient[i]);
      ++checked;
    }
  }
  return checked;
}

}  // namespace nmt::testing
