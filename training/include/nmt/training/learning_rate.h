#pragma once
// Learning-rate schedules: linear warm-up, then constant, inverse square root,
// exponential decay, or decay on plateau (the classic LSTM recipe: multiply
// the rate by a factor after every validation that brings no progress).

#include <cstdint>
#include <string>

#include "nmt/core/enum_names.h"

namespace nmt {

enum class LearningRateDecay { none, inverse_sqrt, exponential, plateau };

inline const EnumNames<LearningRateDecay>& learning_rate_decay_names() {
  static const EnumNames<LearningRateDecay> names{{LearningRateDecay::none, "none"},
                                                  {LearningRateDecay::inverse_sqrt, "inverse-sqrt"},
                                                  {LearningRateDecay::exponential, "exponential"},
                                                  {LearningRateDecay::plateau, "plateau"}};
  return names;
}

// Defaults: nmt train's recipe (see model_config.h).
struct LearningRateSchedule {
  double base = 0.005;
  std::int64_t warmup_steps = 0;  // linear ramp from base/warmup to base
  LearningRateDecay decay = LearningRateDecay::plateau;
  double decay_factor = 0.5;      // exponential: multiply by this every decay_steps
                                  // after warm-up; plateau: at every stalled validation
  std::int64_t decay_steps = 10000;

  // The rate for update number step (counting from 1), before any plateau
  // decay (which depends on validations; the trainer applies it).
  double at(std::int64_t step) const;
};

}  // namespace nmt
