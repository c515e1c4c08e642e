#pragma once
// Multisets of n-grams for one segment, without a string per n-gram: an n-gram
// is a fixed-size key of small integers (token ids or code points) and a
// multiset is a sorted run-length list, so hypothesis/reference matching is a
// merge of two sorted lists and all buffers are reused across segments.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nmt::eval {

// Up to kMaxUnits units per key, packed as (unit + 1) so that the order is the
// number of non-zero lanes. Two layouts share the type: 4 lanes of 32 bits (word
// ids) or 6 lanes of 21 bits (code points).
struct NgramKey {
  uint64_t high = 0;
  uint64_t low = 0;
  bool operator<(const NgramKey& o) const { return high != o.high ? high < o.high : low < o.low; }
  bool operator==(const NgramKey& o) const { return high == o.high && low == o.low; }
};

struct NgramCount {
  NgramKey key;
  int order;  // 1-based
  int64_t count;
};

// Sorted, de-duplicated n-grams with their counts.
using NgramCounts = std::vector<NgramCount>;

// Appends keys for all n-grams of orders 1..max_order (max_order <= 4) over word ids.
void add_word_ngrams(const std::vector<uint32_t>& ids, int max_order, std::vector<NgramCount>& out);

// Appends keys for all n-grams of orders 1..max_order (max_order <= 6) over code points.
void add_char_ngrams(const std::u32string& chars, int max_order, std::vector<NgramCount>& out);

// Sorts entries (each with count 1 or more) by key and merges equal keys,
// summing (combine = sum) or keeping the largest count (combine = max).
enum class Combine { kSum, kMax };
void normalize_counts(std::vector<NgramCount>& entries, Combine combine);

// Gives equal words equal ids (0, 1, ...) across all the word lists of one
// segment, so that n-grams of hypothesis and references compare as integers.
class WordInterner {
 public:
  // ids[k][i] is the id of words[k][i].
  void intern(const std::vector<const std::vector<std::string_view>*>& words,
              std::vector<std::vector<uint32_t>>& ids);

 private:
  struct Occurrence {
    std::string_view word;
    uint32_t list;
    uint32_t position;
  };
  std::vector<Occurrence> occurrences_;
};

}  // namespace nmt::eval
