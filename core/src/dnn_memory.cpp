#include "nmt/core/dnn_memory.h"

#include "nmt/core/error.h"

namespace nmt {

dnnl::memory::desc plain_desc(const dnnl::memory::dims& dims, dnnl::memory::format_tag tag) {
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, tag);
}

dnnl::memory as_memory(Tensor& tensor, const dnnl::memory::desc& desc, const dnnl::engine& engine) {
  const auto bytes = static_cast<int64_t>(desc.get_size());
  if (bytes != tensor.size() * static_cast<int64_t>(sizeof(float))) {
    throw Error("tensor of shape " + to_string(tensor.shape()) +
                " does not match a oneDNN memory of " + std::to_string(bytes) + " bytes");
  }
  return dnnl::memory(desc, engine, tensor.data());
}

dnnl::memory as_memory(const Tensor& tensor, const dnnl::memory::desc& desc,
                       const dnnl::engine& engine) {
  // oneDNN takes non-const handles for inputs too; it only reads them.
  return as_memory(const_cast<Tensor&>(tensor), desc, engine);
}

dnnl::memory as_memory(const float* data, const dnnl::memory::desc& desc, const dnnl::engine& engine) {
  return dnnl::memory(desc, engine, const_cast<float*>(data));
}

}  // namespace nmt
