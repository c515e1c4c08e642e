#pragma once
// Adam and plain SGD over a fixed list of parameters, with state that
// checkpoints save and restore exactly.

#include <cstdint>
#include <string>
#include <vector>

#include "nmt/core/enum_names.h"
#include "nmt/core/model_file.h"
#include "nmt/training/gradients.h"

namespace nmt {

enum class OptimizerMethod { adam, sgd };

inline const EnumNames<OptimizerMethod>& optimizer_method_names() {
  static const EnumNames<OptimizerMethod> names{{OptimizerMethod::adam, "adam"}, {OptimizerMethod::sgd, "sgd"}};
  return names;
}

struct OptimizerOptions {
  OptimizerMethod method = OptimizerMethod::adam;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

class Optimizer {
 public:
  Optimizer(const OptimizerOptions& options, std::vector<Parameter> parameters);

  // One update with the current gradients times gradient_scale (the clipping
  // scale, so that clipping needs no pass of its own) at the given learning
  // rate. The gradients are consumed: the step leaves them zero, ready to
  // accumulate the next step's.
  void step(double learning_rate, float gradient_scale = 1.0f);
  std::int64_t steps() const { return steps_; }
  const std::vector<Parameter>& parameters() const { return parameters_; }

  // Moments and step count, as sections "optimizer/..." of a checkpoint.
  void save(ModelFileWriter& file) const;
  void load(const ModelFileReader& file);

 private:
  OptimizerOptions options_;
  std::vector<Parameter> parameters_;
  std::vector<std::vector<float>> first_moment_;
  std::vector<std::vector<float>> second_moment_;
  std::int64_t steps_ = 0;
};

}  // namespace nmt
