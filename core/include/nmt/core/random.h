#pragma once
// A small, seeded random generator whose sequence is the same on every
// platform and standard library (std::uniform_real_distribution is not), so
// that a seed reproduces weights and dropout masks everywhere.

#include <cstdint>

namespace nmt {

// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit state, passes BigCrush,
// and any seed, 0 included, is a good one.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1), from the top 24 bits: exactly representable in float.
  float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }
  // Uniform in [low, high).
  float uniform(float low, float high) { return low + (high - low) * uniform(); }

 private:
  uint64_t state_;
};

}  // namespace nmt
