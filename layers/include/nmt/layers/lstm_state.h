#pragma once
// The recurrent state (h, c) of one LSTM layer as handed into or out of it.

#include "nmt/core/tensor.h"

namespace nmt::layers {

// Borrowed views of h and c, each [N, H]. A null pointer stands for zeros:
// the initial state of an encoder, or no gradient arriving at a final state.
struct LstmState {
  const Tensor* h = nullptr;
  const Tensor* c = nullptr;
};

}  // namespace nmt::layers
