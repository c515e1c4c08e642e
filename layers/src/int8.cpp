#include "nmt/layers/int8.h"

#include <algorithm>
#include <cmath>

#include "nmt/core/dnn_context.h"

namespace nmt::layers::int8 {

int weight_limit() {
  static const int limit = DnnContext::has_int8_dot_product() ? 127 : 63;
  return limit;
}

void quantize_input(const float* x, std::size_t n, float bound, std::uint8_t* codes) {
  const float scale = kInputLevels / bound;
  const auto count = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for simd schedule(static) if (count > 65536)
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    const float code = std::nearbyint(x[i] * scale) + static_cast<float>(kZeroPoint);
    codes[i] = static_cast<std::uint8_t>(std::clamp(code, 0.0f, 255.0f));
  }
}

}  // namespace nmt::layers::int8
