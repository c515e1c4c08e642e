#pragma once
// Clipped n-gram matching for one segment without sorting and without a string
// per n-gram. The hypothesis's n-grams form a trie in a small open-addressing
// hash table: the n-gram u1..un is the node keyed by (node of u1..un-1, un),
// units being word ids or code points, so equal n-grams are exactly equal
// nodes (keys are compared in full, never by hash alone). A reference n-gram
// is looked up the same way; when a prefix is missing, no longer n-gram from
// that position can match and the lookups stop.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt::eval {

// The number of n-grams of one order in a sequence of `length` units.
inline int64_t ngram_count(std::size_t length, int order) {
  return length >= static_cast<std::size_t>(order) ? static_cast<int64_t>(length) - order + 1 : 0;
}

class NgramTable {
 public:
  // A node: 0 is the empty n-gram (the root), others are 1 + a slot index.
  using Node = uint32_t;

  // Empties the table for a segment of at most max_entries distinct n-grams.
  void begin_segment(std::size_t max_entries);

  // Counts one hypothesis occurrence of the n-gram `parent` + unit; returns its node.
  Node add(Node parent, uint32_t unit) {
    const uint64_t key = make_key(parent, unit);
    std::size_t i = hash(key) >> shift_;
    while (slots_[i].segment == segment_) {
      if (slots_[i].key == key) {
        ++slots_[i].hypothesis;
        return static_cast<Node>(i + 1);
      }
      i = (i + 1) & mask_;
    }
    slots_[i] = Slot{key, segment_, 0, 1, 0, 0};
    return static_cast<Node>(i + 1);
  }

  // The node of `parent` + unit, or 0 when the hypothesis lacks that n-gram.
  Node find(Node parent, uint32_t unit) const {
    const uint64_t key = make_key(parent, unit);
    std::size_t i = hash(key) >> shift_;
    while (slots_[i].segment == segment_) {
      if (slots_[i].key == key) return static_cast<Node>(i + 1);
      i = (i + 1) & mask_;
    }
    return 0;
  }

  // Starts counting the occurrences of the next reference.
  void begin_reference() { reference_ = ++epoch_; }

  // One occurrence of node in the current reference: true when it matches, i.e.
  // this reference has had fewer occurrences so far than the hypothesis (the
  // sum of min(hyp, ref) counts: chrF's matches).
  bool match(Node node) { return take(slots_[node - 1]); }

  // As match(), but true only when the largest clipped count over the
  // references so far grows (min(hyp, max over references): BLEU's matches).
  bool match_best(Node node) {
    Slot& slot = slots_[node - 1];
    if (!take(slot) || slot.seen <= slot.best) return false;
    slot.best = slot.seen;
    return true;
  }

 private:
  struct Slot {
    uint64_t key;
    uint32_t segment;     // the epoch of the segment that filled the slot
    uint32_t reference;   // the epoch of the reference `seen` counts for
    uint32_t hypothesis;  // occurrences in the hypothesis
    uint32_t seen;        // occurrences in that reference, up to `hypothesis`
    uint32_t best;        // the largest `seen` over the segment's references
  };

  static uint64_t make_key(Node parent, uint32_t unit) { return (uint64_t{parent} << 32) | unit; }
  static uint64_t hash(uint64_t key) { return (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ULL; }

  bool take(Slot& slot) const {
    if (slot.reference != reference_) {
      slot.reference = reference_;
      slot.seen = 0;
    }
    if (slot.seen >= slot.hypothesis) return false;
    ++slot.seen;
    return true;
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  uint32_t epoch_ = 0;
  uint32_t segment_ = 0, reference_ = 0;
};

// Adds every n-gram of orders 1..max_order of the hypothesis units.
template <typename Units>
void add_ngrams(const Units& units, int max_order, NgramTable& table) {
  const std::size_t n = units.size();
  for (std::size_t start = 0; start < n; ++start) {
    NgramTable::Node node = 0;
    const std::size_t end = std::min(n, start + static_cast<std::size_t>(max_order));
    for (std::size_t k = start; k < end; ++k) node = table.add(node, static_cast<uint32_t>(units[k]));
  }
}

// Calls on_node(node, order) for every n-gram of orders 1..max_order of the
// reference units that the hypothesis has too.
template <typename Units, typename OnNode>
void find_ngrams(const Units& units, int max_order, const NgramTable& table, OnNode on_node) {
  const std::size_t n = units.size();
  for (std::size_t start = 0; start < n; ++start) {
    NgramTable::Node node = 0;
    const std::size_t end = std::min(n, start + static_cast<std::size_t>(max_order));
    for (std::size_t k = start; k < end; ++k) {
      node = table.find(node, static_cast<uint32_t>(units[k]));
      if (node == 0) break;
      on_node(node, static_cast<int>(k - start + 1));
    }
  }
}

}  // namespace nmt::eval
