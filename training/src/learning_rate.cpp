#include "nmt/training/learning_rate.h"

#include <algorithm>
#include <cmath>

#include "nmt/core/error.h"

namespace nmt {

double LearningRateSchedule::at(std::int64_t step) const {
  step = std::max<std::int64_t>(step, 1);
  if (step <= warmup_steps) return base * static_cast<double>(step) / static_cast<double>(warmup_steps);
  const std::int64_t after = step - warmup_steps;
  if (decay == "none") return base;
  if (decay == "inverse-sqrt") {
    // Continuous at the end of warm-up: base there, base * sqrt(w / step) after.
    const double pivot = static_cast<double>(std::max<std::int64_t>(warmup_steps, 1));
    return base * std::sqrt(pivot / static_cast<double>(std::max<std::int64_t>(step, 1)));
  }
  if (decay == "exponential")
    return base * std::pow(decay_factor, static_cast<double>(after / std::max<std::int64_t>(decay_steps, 1)));
  throw Error("unknown learning-rate decay '" + decay + "' (use none, inverse-sqrt or exponential)");
}

}  // namespace nmt
