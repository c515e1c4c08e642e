#include "nmt/core/bf16.h"

#include <cstring>

namespace nmt {

namespace {

constexpr std::size_t kParallelFrom = 1 << 16;  // below this, threads cost more than they save

inline std::uint16_t round_to_bf16(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const std::uint32_t rounded = (bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16;
  // A NaN stays a NaN (rounding could carry its mantissa into the infinity pattern).
  const bool nan = (bits & 0x7fffffffu) > 0x7f800000u;
  return static_cast<std::uint16_t>(nan ? (bits >> 16) | 0x40u : rounded);
}

}  // namespace

void to_bf16(const float* values, std::size_t count, std::uint16_t* out) {
  const auto n = static_cast<std::ptrdiff_t>(count);
#pragma omp parallel for schedule(static) if (count >= kParallelFrom)
  for (std::ptrdiff_t i = 0; i < n; ++i) out[i] = round_to_bf16(values[i]);
}

void from_bf16(const std::uint16_t* values, std::size_t count, float* out) {
  const auto n = static_cast<std::ptrdiff_t>(count);
#pragma omp parallel for schedule(static) if (count >= kParallelFrom)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const std::uint32_t bits = static_cast<std::uint32_t>(values[i]) << 16;
    std::memcpy(out + i, &bits, sizeof bits);
  }
}

std::uint16_t* to_bf16(const float* values, std::size_t count, Bf16Buffer& out) {
  out.resize(count);
  to_bf16(values, count, out.data());
  return out.data();
}

}  // namespace nmt
