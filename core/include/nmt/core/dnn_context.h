#pragma once
// The one CPU engine and stream every oneDNN primitive of a process runs on,
// and the thread count it runs with. Pass it by reference to what builds
// primitives; it is cheap to keep and must outlive them.

#include <dnnl.hpp>
#include <string>

namespace nmt {

class DnnContext {
 public:
  // The first context limits oneDNN's own primitive cache to this many
  // primitives (see dnn_context.cpp), unless ONEDNN_PRIMITIVE_CACHE_CAPACITY
  // is set.
  static constexpr int kOneDnnPrimitiveCacheCapacity = 64;

  DnnContext();
  DnnContext(const DnnContext&) = delete;
  DnnContext& operator=(const DnnContext&) = delete;

  const dnnl::engine& engine() const { return engine_; }
  dnnl::stream& stream() { return stream_; }
  // The CPU stream runs in order but returns before the work is done only in
  // asynchronous runtimes; waiting keeps callers correct in both.
  void wait() { stream_.wait(); }

  // oneDNN threads through OpenMP: this sets the OpenMP thread count (0 or
  // less: leave OpenMP's default, OMP_NUM_THREADS or all cores). OpenMP keeps
  // it per thread: call it from the thread that runs the primitives.
  static void set_num_threads(int threads);
  static int num_threads();
  // The instruction set oneDNN dispatches to on this CPU, e.g. "avx512_core_bf16".
  static std::string cpu_isa_name();
  // Whether oneDNN multiplies u8 by s8 with a dot-product instruction (VNNI,
  // AVX512-VNNI or AMX). Without one, AVX2 adds two u8 x s8 products into a
  // saturating 16-bit lane, so int8 weights must stay within 7 bits there.
  static bool has_int8_dot_product();
  // Whether oneDNN runs bf16 LSTM and matmul natively (AVX512-BF16 or AMX);
  // elsewhere oneDNN 2.6 has no bf16 RNN at all.
  static bool has_native_bf16();

  // LSTM and Linear layers on this context run their primitives in bf16 from
  // now on (f32 master weights, f32 gradients and outputs; see lstm_layer.h,
  // linear.h). Throws where the CPU lacks native bf16. Layers key their
  // primitives by it, so switching back and forth is safe.
  void use_bf16(bool on);
  bool bf16() const { return bf16_; }

 private:
  dnnl::engine engine_;
  dnnl::stream stream_;
  bool bf16_ = false;
};

}  // namespace nmt
