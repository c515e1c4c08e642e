#pragma once
// Viewing a Tensor as a dnnl::memory: the memory object points at the
// tensor's buffer, so nothing is copied and the tensor must outlive it.

#include <dnnl.hpp>

#include "nmt/core/tensor.h"

namespace nmt {

// A plain f32 memory descriptor, e.g. plain_desc({T, N, C}, format_tag::tnc).
dnnl::memory::desc plain_desc(const dnnl::memory::dims& dims, dnnl::memory::format_tag tag);

// The tensor's buffer seen through `desc`, which must describe exactly as
// many f32 elements as the tensor holds (the dimensions may be regrouped:
// an [N, H] state is a {1, 1, N, H} ldnc memory).
dnnl::memory as_memory(Tensor& tensor, const dnnl::memory::desc& desc, const dnnl::engine& engine);
dnnl::memory as_memory(const Tensor& tensor, const dnnl::memory::desc& desc,
                       const dnnl::engine& engine);
// A buffer the caller owns (a layer's weights, a slice of a tensor), holding
// at least desc's elements.
dnnl::memory as_memory(const float* data, const dnnl::memory::desc& desc, const dnnl::engine& engine);

}  // namespace nmt
