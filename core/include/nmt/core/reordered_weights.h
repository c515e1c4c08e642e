#pragma once
// Weights kept once in a plain master layout (what the optimizer updates and
// the model file stores) and handed to primitives in whatever layout they
// asked for through format_tag::any. Copies are refreshed lazily after the
// master changed: one reorder per weight update and layout, none per call.
// At most kMaxCopies layouts, and kMaxCopyBytes in all, are kept, the least
// recently used going first: int8 LSTM primitives pack their weights for one
// batch size, so an encoder asks for a new layout on nearly every batch of a
// translation.

#include <cstddef>
#include <cstdint>
#include <dnnl.hpp>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/tensor.h"

namespace nmt {

class ReorderedWeights {
 public:
  // reorder_attr: how the reorders convert, e.g. the scales that quantize
  // f32 weights to int8.
  static constexpr std::size_t kMaxCopies = 32;
  static constexpr std::size_t kMaxCopyBytes = std::size_t{64} << 20;

  // master_layout may be of any data type (e.g. s8 codes an int8 layer
  // quantized once); the Tensor overload below takes f32 masters only.
  explicit ReorderedWeights(dnnl::memory::desc master_layout, dnnl::primitive_attr reorder_attr = {});

  // Call after every change to the master's values; the copies are stale then.
  void master_changed() { ++version_; }

  // The master's values in `layout`: the master's own buffer when the layouts
  // agree, otherwise a cached copy, reordered now if the master changed since.
  // The layout may also differ in data type (e.g. bf16 for bf16 primitives).
  dnnl::memory in_layout(const Tensor& master, const dnnl::memory::desc& layout,
                         DnnContext& context);
  // A master buffer holding master_layout's bytes (a layer's weights).
  dnnl::memory in_layout(const void* master, const dnnl::memory::desc& layout, DnnContext& context);

  std::size_t copies() const { return copies_.size(); }
  std::uint64_t reorders() const { return reorders_; }

 private:
  struct Copy {
    dnnl::memory::desc layout;
    dnnl::memory memory;
    dnnl::reorder reorder;
    uint64_t version;
  };
  dnnl::memory::desc master_layout_;
  dnnl::primitive_attr reorder_attr_;
  uint64_t version_ = 0;
  std::uint64_t reorders_ = 0;
  std::vector<Copy> copies_;  // the most recently used last
};

}  // namespace nmt
