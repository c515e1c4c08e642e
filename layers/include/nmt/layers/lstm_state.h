#pragma once
// The recurrent state (h, c) of one LSTM layer as handed into or out of it.

#include <vector>

#include "nmt/core/tensor.h"

namespace nmt::layers {

// Borrowed views of h and c, each [N, H]. A null pointer stands for zeros:
// the initial state of an encoder, or no gradient arriving at a final state.
struct LstmState {
  const Tensor* h = nullptr;
  const Tensor* c = nullptr;
};

}  // namespace nmt::layers

namespace nmt {
// What an encoder hands to a decoder: the final (h, c) of every layer, each
// [N, H]; the decoder's layer l starts from entry l.
using Context = std::vector<layers::LstmState>;
}  // namespace nmt
