#pragma once
// Learning-rate schedules: linear warm-up, then constant, inverse square root,
// or exponential decay.

#include <cstdint>
#include <string>

namespace nmt {

struct LearningRateSchedule {
  double base = 1e-3;
  std::int64_t warmup_steps = 0;  // linear ramp from base/warmup to base
  std::string decay = "none";     // none | inverse-sqrt | exponential
  double decay_factor = 0.5;      // exponential: multiply by this ...
  std::int64_t decay_steps = 10000;  // ... every decay_steps after warm-up

  // The rate for update number step (counting from 1).
  double at(std::int64_t step) const;
};

}  // namespace nmt
