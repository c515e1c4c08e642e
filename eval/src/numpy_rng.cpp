#include "nmt/eval/numpy_rng.h"

#include <array>
#include <stdexcept>
#include <vector>

namespace nmt::eval {

namespace {

// numpy.random.SeedSequence constants (bit_generator.pyx).
constexpr uint32_t kInitA = 0x43b0d7e5;
constexpr uint32_t kMultA = 0x931e8875;
constexpr uint32_t kInitB = 0x8b51f9dd;
constexpr uint32_t kMultB = 0x58f38ded;
constexpr uint32_t kMixMultL = 0xca01f9dd;
constexpr uint32_t kMixMultR = 0x4973f715;
constexpr int kXShift = 16;
constexpr std::size_t kPoolSize = 4;

uint32_t hashmix(uint32_t value, uint32_t& hash_const) {
  value ^= hash_const;
  hash_const *= kMultA;
  value *= hash_const;
  value ^= value >> kXShift;
  return value;
}

uint32_t mix(uint32_t x, uint32_t y) {
  uint32_t result = kMixMultL * x - kMixMultR * y;
  result ^= result >> kXShift;
  return result;
}

// SeedSequence(seed).generate_state(4, uint64).
std::array<uint64_t, 4> seed_sequence_state(uint64_t seed) {
  std::vector<uint32_t> entropy;
  do {
    entropy.push_back(static_cast<uint32_t>(seed));
    seed >>= 32;
  } while (seed != 0);

  std::array<uint32_t, kPoolSize> pool{};
  uint32_t hash_const = kInitA;
  for (std::size_t i = 0; i < kPoolSize; ++i)
    pool[i] = hashmix(i < entropy.size() ? entropy[i] : 0, hash_const);
  for (std::size_t src = 0; src < kPoolSize; ++src)
    for (std::size_t dst = 0; dst < kPoolSize; ++dst)
      if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hash_const));
  for (std::size_t src = kPoolSize; src < entropy.size(); ++src)
    for (std::size_t dst = 0; dst < kPoolSize; ++dst)
      pool[dst] = mix(pool[dst], hashmix(entropy[src], hash_const));

  std::array<uint32_t, 8> words{};
  uint32_t state_const = kInitB;
  for (std::size_t i = 0; i < words.size(); ++i) {
    uint32_t value = pool[i % kPoolSize];
    value ^= state_const;
    state_const *= kMultB;
    value *= state_const;
    value ^= value >> kXShift;
    words[i] = value;
  }
  std::array<uint64_t, 4> out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = uint64_t{words[2 * i]} | (uint64_t{words[2 * i + 1]} << 32);
  return out;
}

constexpr unsigned __int128 kPcgMultiplier =
    (static_cast<unsigned __int128>(2549297995355413924ULL) << 64) | 4865540595714422341ULL;

}  // namespace

NumpyDefaultRng::NumpyDefaultRng(uint64_t seed) {
  const auto words = seed_sequence_state(seed);
  const unsigned __int128 initial_state =
      (static_cast<unsigned __int128>(words[0]) << 64) | words[1];
  const unsigned __int128 sequence = (static_cast<unsigned __int128>(words[2]) << 64) | words[3];
  // pcg_setseq_128_srandom_r
  increment_ = (sequence << 1) | 1;
  state_ = 0;
  state_ = state_ * kPcgMultiplier + increment_;
  state_ += initial_state;
  state_ = state_ * kPcgMultiplier + increment_;
}

uint64_t NumpyDefaultRng::next_uint64() {
  // PCG XSL-RR 128/64: step, then output from the new state.
  state_ = state_ * kPcgMultiplier + increment_;
  const auto folded = static_cast<uint64_t>(state_ >> 64) ^ static_cast<uint64_t>(state_);
  const auto rotation = static_cast<unsigned>(state_ >> 122);
  return (folded >> rotation) | (folded << ((64 - rotation) & 63));
}

uint32_t NumpyDefaultRng::next_uint32() {
  // numpy's PCG64 hands out both halves of a 64-bit draw, low half first.
  if (has_cached_uint32_) {
    has_cached_uint32_ = false;
    return cached_uint32_;
  }
  const uint64_t next = next_uint64();
  has_cached_uint32_ = true;
  cached_uint32_ = static_cast<uint32_t>(next >> 32);
  return static_cast<uint32_t>(next);
}

double NumpyDefaultRng::uniform() {
  return static_cast<double>(next_uint64() >> 11) * (1.0 / 9007199254740992.0);
}

uint32_t NumpyDefaultRng::below(uint64_t n) {
  if (n == 0 || n > (uint64_t{1} << 32)) throw std::invalid_argument("range must be 1..2^32");
  const uint64_t range = n - 1;  // numpy's inclusive "rng"
  if (range == 0) return 0;      // numpy draws nothing for a one-value range
  if (range == 0xFFFFFFFFULL) return next_uint32();
  const auto range_excl = static_cast<uint32_t>(n);
  uint64_t m = uint64_t{next_uint32()} * range_excl;
  auto leftover = static_cast<uint32_t>(m);
  if (leftover < range_excl) {
    const uint32_t threshold = (UINT32_MAX - static_cast<uint32_t>(range)) % range_excl;
    while (leftover < threshold) {
      m = uint64_t{next_uint32()} * range_excl;
      leftover = static_cast<uint32_t>(m);
    }
  }
  return static_cast<uint32_t>(m >> 32);
}

}  // namespace nmt::eval
