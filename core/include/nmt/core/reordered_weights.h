#pragma once
// Weights kept once in a plain master layout (what the optimizer updates and
// the model file stores) and handed to primitives in whatever layout they
// asked for through format_tag::any. Copies are refreshed lazily after the
// master changed: one reorder per weight update and layout, none per call.

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
  explicit ReorderedWeights(dnnl::memory::desc master_layout, dnnl::primitive_attr reorder_attr = {});

  // Call after every change to the master's values; the copies are stale then.
  void master_changed() { ++version_; }

  // The master's values in `layout`: the master's own buffer when the layouts
  // agree, otherwise a cached copy, reordered now if the master changed since.
  // The layout may also differ in data type (e.g. bf16 for bf16 primitives).
  dnnl::memory in_layout(const Tensor& master, const dnnl::memory::desc& layout,
                         DnnContext& context);
  // A master buffer of at least master_layout's elements (a layer's weights).
  dnnl::memory in_layout(const float* master, const dnnl::memory::desc& layout, DnnContext& context);

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
  std::vector<Copy> copies_;
};

}  // namespace nmt
