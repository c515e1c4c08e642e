#pragma once
// What the int8 inference layers share. An input x in [-bound, bound] becomes
// the u8 code round(x / bound * 127) + 128 (values outside are clamped), a
// weight w of an output whose largest |w| is m becomes the s8 round(w * s)
// with s = weight_limit() / m, and the int32 sums oneDNN forms are scaled back
// to f32 by bound / (127 * s) per output.

#include <cstddef>
#include <cstdint>

namespace nmt::layers::int8 {

constexpr int kZeroPoint = 128;
constexpr float kInputLevels = 127.0f;

// The largest |s8 weight| that cannot overflow on this CPU: 127 with an int8
// dot product (VNNI); 63 without, where AVX2 adds pairs of u8 x s8 products
// into saturating 16-bit lanes (255 x 127 x 2 > 32767; 255 x 63 x 2 is not).
int weight_limit();

// The scale s of an output whose weights reach max_abs in magnitude.
inline float weight_scale(float max_abs) { return max_abs > 0 ? static_cast<float>(weight_limit()) / max_abs : 1.0f; }

// s8 codes of one output's weights row[0 .. n), by its weight_scale, which it
// returns.
float quantize_weights(const float* row, int n, std::int8_t* codes);

// u8 codes of x[0 .. n) over [-bound, bound].
void quantize_input(const float* x, std::size_t n, float bound, std::uint8_t* codes);

}  // namespace nmt::layers::int8
