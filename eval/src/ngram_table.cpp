#include "nmt/eval/ngram_table.h"

namespace nmt::eval {

void NgramTable::begin_segment(std::size_t max_entries) {
  // At most half full, so that probes stay short.
  std::size_t capacity = 16;
  int bits = 4;
  while (capacity < 2 * max_entries) {
    capacity *= 2;
    ++bits;
  }
  // Epochs only grow; long before they would wrap, every slot is emptied once.
  if (epoch_ > 0xF0000000u) {
    slots_.assign(slots_.size(), Slot{});
    epoch_ = 0;
  }
  // Only the first `capacity` slots are used, so a long line met once does not
  // spread every later segment over a large table.
  if (slots_.size() < capacity) slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  shift_ = 64 - bits;
  segment_ = ++epoch_;
  reference_ = 0;
}

}  // namespace nmt::eval
