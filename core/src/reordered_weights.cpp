#include "nmt/core/reordered_weights.h"

#include <algorithm>

#include "nmt/core/dnn_memory.h"

namespace nmt {

ReorderedWeights::ReorderedWeights(dnnl::memory::desc master_layout, dnnl::primitive_attr reorder_attr)
    : master_layout_(std::move(master_layout)), reorder_attr_(std::move(reorder_attr)) {}

dnnl::memory ReorderedWeights::in_layout(const Tensor& master, const dnnl::memory::desc& layout,
                                         DnnContext& context) {
  as_memory(master, master_layout_, context.engine());  // checks the size
  return in_layout(master.data(), layout, context);
}

dnnl::memory ReorderedWeights::in_layout(const void* master, const dnnl::memory::desc& layout,
                                         DnnContext& context) {
  // oneDNN takes non-const handles for inputs too; a reorder only reads them.
  dnnl::memory master_memory(master_layout_, context.engine(), const_cast<void*>(master));
  if (layout == master_layout_) return master_memory;

  auto found = std::find_if(copies_.begin(), copies_.end(), [&](const Copy& c) { return c.layout == layout; });
  if (found != copies_.end()) {
    std::rotate(found, found + 1, copies_.end());
  } else {
    // Primitives given an evicted copy's memory keep it alive: the handle is shared.
    const auto held = [&] {
      std::size_t bytes = layout.get_size();
      for (const Copy& c : copies_) bytes += c.layout.get_size();
      return bytes;
    };
    while (!copies_.empty() && (copies_.size() == kMaxCopies || held() > kMaxCopyBytes))
      copies_.erase(copies_.begin());
    dnnl::memory memory(layout, context.engine());
    dnnl::reorder reorder(dnnl::reorder::primitive_desc(master_memory, memory, reorder_attr_));
    // A version the master never has, so the first use reorders.
    copies_.push_back(Copy{layout, memory, reorder, version_ - 1});
  }
  Copy& copy = copies_.back();
  if (copy.version != version_) {
    copy.reorder.execute(context.stream(), master_memory, copy.memory);
    copy.version = version_;
    ++reorders_;
  }
  return copy.memory;
}

}  // namespace nmt
