#pragma once
// bfloat16 buffers for oneDNN's bf16 primitives: the upper half of an f32
// (8 bits of mantissa), rounded to nearest even. oneDNN converts weights
// itself (a reorder into the primitive's layout); activations change type on
// every call at sizes that vary with each batch, where one loop beats making
// a reorder primitive per size.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt {

using Bf16Buffer = std::vector<std::uint16_t>;

void to_bf16(const float* values, std::size_t count, std::uint16_t* out);
void from_bf16(const std::uint16_t* values, std::size_t count, float* out);

// Resizes `out` to count and converts into it; returns its data.
std::uint16_t* to_bf16(const float* values, std::size_t count, Bf16Buffer& out);

}  // namespace nmt
