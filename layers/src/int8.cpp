#include "nmt/layers/int8.h"

#include <algorithm>
#include <cmath>

#include "nmt/core/dnn_context.h"

namespace nmt::layers::int8 {

int weight_limit() {
  static const int limit = DnnContext::has_int8_dot_product() ? 127 : 63;
  return limit;
}

// The loops below are built for AVX2 too (picked at run time): there
// nearbyint is one vector instruction (vroundps), where the portable build
// calls libm per element, which made quantizing inputs a sixth of the main
// thread's own work in int8 search, and the shortlist's weights, quantized
// per batch, another 2 %.
#define NMT_INT8_CLONES __attribute__((target_clones("avx2", "default")))

NMT_INT8_CLONES float quantize_weights(const float* row, int n, std::int8_t* codes) {
  float max_abs = 0;
  for (int k = 0; k < n; ++k) max_abs = std::max(max_abs, std::fabs(row[k]));
  const float scale = weight_scale(max_abs);
  for (int k = 0; k < n; ++k) codes[k] = static_cast<std::int8_t>(std::nearbyint(row[k] * scale));
  return scale;
}

namespace {

// Clamped in float and converted through int, so that the loop vectorizes
// (a float -> u8 conversion does not).
NMT_INT8_CLONES void quantize_range(const float* __restrict x, std::ptrdiff_t count, float scale,
                                    std::uint8_t* __restrict codes) {
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    const float code = std::nearbyint(x[i] * scale) + static_cast<float>(kZeroPoint);
    codes[i] = static_cast<std::uint8_t>(static_cast<int>(std::min(std::max(code, 0.0f), 255.0f)));
  }
}

}  // namespace

void quantize_input(const float* x, std::size_t n, float bound, std::uint8_t* codes) {
  const float scale = kInputLevels / bound;
  const auto count = static_cast<std::ptrdiff_t>(n);
  constexpr std::ptrdiff_t kChunk = 65536;  // a search step's inputs are far smaller: one thread
  if (count <= kChunk) return quantize_range(x, count, scale, codes);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t begin = 0; begin < count; begin += kChunk)
    quantize_range(x + begin, std::min(kChunk, count - begin), scale, codes + begin);
}

}  // namespace nmt::layers::int8
