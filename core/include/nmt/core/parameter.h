#pragma once
// A view of one trainable tensor and its gradient. Layers own the storage;
// optimizers, checkpoints and gradient checks only walk these views.

#include <cstddef>
#include <string>

namespace nmt {

struct Parameter {
  std::string name;  // unique, e.g. "encoder/lstm0/weights_layer"
  float* value;
  float* gradient;
  std::size_t size;
};

}  // namespace nmt
