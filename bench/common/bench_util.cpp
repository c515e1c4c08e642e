#include "bench_util.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "nmt/core/bf16.h"
#include "nmt/core/dnn_memory.h"

namespace nmt::bench {

Tensor random_tensor(const Shape& shape, Rng& rng) {
  Tensor t(shape);
  for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(-1.0f, 1.0f);
  return t;
}

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}



// Median seconds of `work` over `repeats` calls after a warm-up.
double median_seconds(int repeats, const std::function<void()>& work) {
  for (int i = 0; i < kWarmup; ++i) work();
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) times.push_back(seconds_of(work));
  return median(times);
}

// [1920 x 1024] x [1024 x 2048] in f32, plain layouts.
double matmul_gflops(DnnContext& context, int repeats, std::string& impl) {
  const int64_t M = 1920, K = 1024, N = 2048;
  Rng rng(1);
  Tensor a = random_tensor({M, K}, rng), b = random_tensor({K, N}, rng), c({M, N});
  using tag = dnnl::memory::format_tag;
  // bf16 inputs on a bf16 context (into f32, as the layers do), f32 otherwise.
  const auto input_type = context.bf16() ? dnnl::memory::data_type::bf16 : dnnl::memory::data_type::f32;
  const dnnl::memory::desc a_desc({M, K}, input_type, tag::ab), b_desc({K, N}, input_type, tag::ab);
  const auto c_desc = plain_desc({M, N}, tag::ab);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_desc, b_desc, c_desc),
                                        context.engine());
  impl = pd.impl_info_str();
  const dnnl::matmul matmul(pd);
  Bf16Buffer a16, b16;
  const auto input = [&](const Tensor& values, const dnnl::memory::desc& desc, Bf16Buffer& copy) {
    if (!context.bf16()) return as_memory(values, desc, context.engine());
    return dnnl::memory(desc, context.engine(), to_bf16(values.data(), static_cast<std::size_t>(values.size()), copy));
  };
  const std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, input(a, a_desc, a16)},
      {DNNL_ARG_WEIGHTS, input(b, b_desc, b16)},
      {DNNL_ARG_DST, as_memory(c, c_desc, context.engine())}};
  const double seconds = median_seconds(repeats, [&] {
    matmul.execute(context.stream(), args);
    context.wait();
  });
  return 2.0 * M * K * N / seconds * 1e-9;
}

double peak_memory_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace nmt::bench
