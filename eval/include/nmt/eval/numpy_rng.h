#pragma once
// numpy's np.random.default_rng(seed) (SeedSequence -> PCG64) and the integer
// draws of Generator.choice(n, replace=True), so that bootstrap resamples pick
// the same segments as sacreBLEU's paired bootstrap test.

#include <cstdint>

namespace nmt::eval {

class NumpyDefaultRng {
 public:
  explicit NumpyDefaultRng(uint64_t seed);

  // Generator.integers(0, n) for 1 <= n <= 2^32: Lemire's bounded method on
  // 32-bit draws, as numpy uses for ranges that fit in 32 bits.
  uint32_t below(uint64_t n);

  // Generator.random(): a double in [0, 1) (used to check the stream).
  double uniform();

  uint64_t next_uint64();
  uint32_t next_uint32();

 private:
  unsigned __int128 state_ = 0;
  unsigned __int128 increment_ = 0;
  bool has_cached_uint32_ = false;
  uint32_t cached_uint32_ = 0;
};

}  // namespace nmt::eval
