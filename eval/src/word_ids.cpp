#include "nmt/eval/word_ids.h"

#include <algorithm>
#include <cstring>

namespace nmt::eval {

namespace {

// Eight bytes at a time, mixed by multiplication: words are short, and the
// table only needs a good spread, not a cryptographic hash.
uint64_t hash_bytes(std::string_view text) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ text.size();
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t block;
    std::memcpy(&block, text.data() + i, 8);
    h = (h ^ block) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, text.data() + i, text.size() - i);
  h = (h ^ tail) * 0x94D049BB133111EBULL;
  return h ^ (h >> 32);
}

}  // namespace

void WordIds::begin_segment(std::size_t max_words) {
  std::size_t capacity = 16;
  while (capacity < 2 * max_words) capacity *= 2;
  if (++segment_ == 0 || slots_.size() < capacity) {
    slots_.assign(std::max(capacity, slots_.size()), Slot{});
    segment_ = 1;
  }
  mask_ = capacity - 1;
  next_id_ = 0;
}

uint32_t WordIds::id(std::string_view word) {
  const uint64_t h = hash_bytes(word);
  std::size_t i = h & mask_;
  while (slots_[i].segment == segment_) {
    if (slots_[i].hash == h && slots_[i].word == word) return slots_[i].id;
    i = (i + 1) & mask_;
  }
  slots_[i] = Slot{word, h, segment_, next_id_};
  return next_id_++;
}

}  // namespace nmt::eval
