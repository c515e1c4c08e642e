#pragma once
// Gives equal words equal ids (0, 1, ... in order of first appearance) within
// one segment, so that the n-grams of hypothesis and references compare as
// integers. A small open-addressing hash table over the words' bytes; equality
// is decided by comparing the bytes, never by the hash alone.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace nmt::eval {

class WordIds {
 public:
  // Forgets all ids, for a segment of at most max_words words in all.
  void begin_segment(std::size_t max_words);

  // The id of word (valid until the next begin_segment; its bytes must stay
  // alive until then).
  uint32_t id(std::string_view word);

  // Appends the ids of words to ids.
  void ids(const std::vector<std::string_view>& words, std::vector<uint32_t>& ids) {
    for (const auto word : words) ids.push_back(id(word));
  }

  // Number of distinct words given ids so far in this segment.
  uint32_t size() const { return next_id_; }

 private:
  struct Slot {
    std::string_view word;
    uint64_t hash;
    uint32_t segment;  // epoch of the segment that filled the slot
    uint32_t id;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  uint32_t segment_ = 0;
  uint32_t next_id_ = 0;
};

}  // namespace nmt::eval
