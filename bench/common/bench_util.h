#pragma once
// What every benchmark needs: medians of repeated timings, and oneDNN's f32
// matmul rate measured in the same run, the yardstick the other rates are
// reported against (see ../shared/notes/performance-bounds.md).

#include <functional>
#include <string>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/random.h"
#include "nmt/core/tensor.h"

namespace nmt::bench {

// Calls before timing starts: first calls create primitives and warm caches.
inline constexpr int kWarmup = 3;

Tensor random_tensor(const Shape& shape, Rng& rng);
double seconds_of(const std::function<void()>& work);
double median(std::vector<double> values);
// Median seconds of `work` over `repeats` calls after a warm-up.
double median_seconds(int repeats, const std::function<void()>& work);
// GFLOP/s of [1920 x 1024] x [1024 x 2048] in f32, plain layouts; impl: oneDNN's implementation name.
double matmul_gflops(DnnContext& context, int repeats, std::string& impl);
// Peak resident memory of this process so far, in MiB.
double peak_memory_mib();

}  // namespace nmt::bench
