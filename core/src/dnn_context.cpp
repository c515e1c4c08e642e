#include "nmt/core/dnn_context.h"

#include <cstdlib>

#include <omp.h>

#include "nmt/core/error.h"

namespace nmt {

namespace {

// oneDNN keeps every primitive it made in a cache of its own (1,024 by
// default), beside the per-shape caches of the layers. During training those
// held primitives of shapes the layers had long evicted, with their kernels:
// 120 MiB of the default recipe's peak (926 MiB at 1,024, 810 at 64, 799 at
// 0). 64 still spares a rebuild when a layer evicts a shape it needs again.
// ONEDNN_PRIMITIVE_CACHE_CAPACITY, when set, is the user's choice and stays.

void limit_onednn_primitive_cache() {
  static const bool limited = [] {
    if (std::getenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY") == nullptr &&
        std::getenv("DNNL_PRIMITIVE_CACHE_CAPACITY") == nullptr)
      dnnl::set_primitive_cache_capacity(DnnContext::kOneDnnPrimitiveCacheCapacity);
    return true;
  }();
  (void)limited;
}

}  // namespace

DnnContext::DnnContext() : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {
  limit_onednn_primitive_cache();
}

void DnnContext::set_num_threads(int threads) {
  if (threads > 0) omp_set_num_threads(threads);
}

int DnnContext::num_threads() { return omp_get_max_threads(); }

std::string DnnContext::cpu_isa_name() {
  using dnnl::cpu_isa;
  switch (dnnl::get_effective_cpu_isa()) {
    case cpu_isa::sse41: return "sse41";
    case cpu_isa::avx: return "avx";
    case cpu_isa::avx2: return "avx2";
    case cpu_isa::avx2_vnni: return "avx2_vnni";
    case cpu_isa::avx512_mic: return "avx512_mic";
    case cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
    case cpu_isa::avx512_core: return "avx512_core";
    case cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case cpu_isa::avx512_core_amx: return "avx512_core_amx";
    case cpu_isa::all: return "all";
  }
  return "unknown";
}

bool DnnContext::has_int8_dot_product() {
  using dnnl::cpu_isa;
  switch (dnnl::get_effective_cpu_isa()) {
    case cpu_isa::avx2_vnni:
    case cpu_isa::avx512_core_vnni:
    case cpu_isa::avx512_core_bf16:
    case cpu_isa::avx512_core_amx: return true;
    default: return false;
  }
}

bool DnnContext::has_native_bf16() {
  using dnnl::cpu_isa;
  const cpu_isa isa = dnnl::get_effective_cpu_isa();
  return isa == cpu_isa::avx512_core_bf16 || isa == cpu_isa::avx512_core_amx;
}

void DnnContext::use_bf16(bool on) {
  if (on && !has_native_bf16())
    throw Error("bf16 needs a CPU with AVX512-BF16 or AMX; oneDNN found " + cpu_isa_name() + " here");
  bf16_ = on;
}

}  // namespace nmt
