#include "nmt/eval/ngram_counts.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace nmt::eval {

void add_word_ngrams(const std::vector<uint32_t>& ids, int max_order,
                     std::vector<NgramCount>& out) {
  if (max_order > 4) throw std::invalid_argument("word n-gram order above 4");
  const std::size_t n = ids.size();
  for (int order = 1; order <= max_order; ++order) {
    const auto width = static_cast<std::size_t>(order);
    for (std::size_t start = 0; start + width <= n; ++start) {
      uint64_t lanes[4] = {0, 0, 0, 0};
      for (std::size_t k = 0; k < width; ++k) lanes[k] = uint64_t{ids[start + k]} + 1;
      out.push_back({{(lanes[0] << 32) | lanes[1], (lanes[2] << 32) | lanes[3]}, order, 1});
    }
  }
}

void add_char_ngrams(const std::u32string& chars, int max_order, std::vector<NgramCount>& out) {
  if (max_order > 6) throw std::invalid_argument("character n-gram order above 6");
  const std::size_t n = chars.size();
  for (int order = 1; order <= max_order; ++order) {
    const auto width = static_cast<std::size_t>(order);
    for (std::size_t start = 0; start + width <= n; ++start) {
      uint64_t lanes[6] = {0, 0, 0, 0, 0, 0};
      for (std::size_t k = 0; k < width; ++k) lanes[k] = uint64_t{chars[start + k]} + 1;
      out.push_back({{(lanes[0] << 42) | (lanes[1] << 21) | lanes[2],
                      (lanes[3] << 42) | (lanes[4] << 21) | lanes[5]},
                     order, 1});
    }
  }
}

void normalize_counts(std::vector<NgramCount>& entries, Combine combine) {
  std::sort(entries.begin(), entries.end(),
            [](const NgramCount& a, const NgramCount& b) { return a.key < b.key; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (kept > 0 && entries[kept - 1].key == entries[i].key) {
      auto& target = entries[kept - 1].count;
      target = combine == Combine::kSum ? target + entries[i].count
                                        : std::max(target, entries[i].count);
    } else {
      entries[kept++] = entries[i];
    }
  }
  entries.resize(kept);
}

void WordInterner::intern(const std::vector<const std::vector<std::string_view>*>& words,
                          std::vector<std::vector<uint32_t>>& ids) {
  occurrences_.clear();
  ids.resize(words.size());
  for (uint32_t list = 0; list < words.size(); ++list) {
    ids[list].assign(words[list]->size(), 0);
    for (uint32_t position = 0; position < words[list]->size(); ++position)
      occurrences_.push_back({(*words[list])[position], list, position});
  }
  std::sort(occurrences_.begin(), occurrences_.end(),
            [](const Occurrence& a, const Occurrence& b) { return a.word < b.word; });
  uint32_t next_id = 0;
  for (std::size_t i = 0; i < occurrences_.size(); ++i) {
    if (i > 0 && occurrences_[i].word != occurrences_[i - 1].word) ++next_id;
    ids[occurrences_[i].list][occurrences_[i].position] = next_id;
  }
}

}  // namespace nmt::eval
