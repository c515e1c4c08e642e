#include "nmt/training/learning_rate.h"

#include <algorithm>
#include <cmath>

namespace nmt {

double LearningRateSchedule::at(std::int64_t step) const {
  step = std::max<std::int64_t>(step, 1);
  if (step <= warmup_steps) return base * static_cast<double>(step) / static_cast<double>(warmup_steps);
  const std::int64_t after = step - warmup_steps;
  switch (decay) {
    case LearningRateDecay::none:
    case LearningRateDecay::plateau:
      return base;
    case LearningRateDecay::inverse_sqrt: {
      // Continuous at the end of warm-up: base there, base * sqrt(w / step) after.
      const double pivot = static_cast<double>(std::max<std::int64_t>(warmup_steps, 1));
      return base * std::sqrt(pivot / static_cast<double>(step));
    }
    case LearningRateDecay::exponential:
      return base * std::pow(decay_factor, static_cast<double>(after / std::max<std::int64_t>(decay_steps, 1)));
  }
  return base;
}

}  // namespace nmt
