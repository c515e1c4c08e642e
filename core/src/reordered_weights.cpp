#include "nmt/core/reordered_weights.h"

#include "nmt/core/dnn_memory.h"

namespace nmt {

ReorderedWeights::ReorderedWeights(dnnl::memory::desc master_layout, dnnl::primitive_attr reorder_attr)
    : master_layout_(std::move(master_layout)), reorder_attr_(std::move(reorder_attr)) {}

dnnl::memory ReorderedWeights::in_layout(const Tensor& master, const dnnl::memory::desc& layout,
                                         DnnContext& context) {
  as_memory(master, master_layout_, context.engine());  // checks the size
  return in_layout(master.data(), layout, context);
}

dnnl::memory ReorderedWeights::in_layout(const float* master, const dnnl::memory::desc& layout,
                                         DnnContext& context) {
  dnnl::memory master_memory = as_memory(master, master_layout_, context.engine());
  if (layout == master_layout_) return master_memory;

  Copy* copy = nullptr;
  for (Copy& candidate : copies_) {
    if (candidate.layout == layout) copy = &candidate;
  }
  if (copy == nullptr) {
    dnnl::memory memory(layout, context.engine());
    dnnl::reorder reorder(dnnl::reorder::primitive_desc(master_memory, memory, reorder_attr_));
    // A version the master never has, so the first use reorders.
    copies_.push_back(Copy{layout, memory, reorder, version_ - 1});
    copy = &copies_.back();
  }
  if (copy->version != version_) {
    copy->reorder.execute(context.stream(), master_memory, copy->memory);
    copy->version = version_;
  }
  return copy->memory;
}

}  // namespace nmt
