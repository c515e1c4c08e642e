#include "nmt/model/source_batches.h"

#include <algorithm>
#include <map>
#include <string>

#include "nmt/core/error.h"

namespace nmt {

std::vector<std::vector<std::size_t>> source_batches(const std::vector<std::size_t>& source_lengths,
                                                     const BatchLimits& limits) {
  if (limits.sentences < 1)
    throw Error("batch size must be at least 1 sentence, got " + std::to_string(limits.sentences));
  std::map<std::size_t, std::vector<std::size_t>> by_length;
  for (std::size_t i = 0; i < source_lengths.size(); ++i)
    if (source_lengths[i] > 0) by_length[source_lengths[i]].push_back(i);

  std::vector<std::vector<std::size_t>> batches;
  for (const auto& [length, indices] : by_length) {
    std::size_t size = static_cast<std::size_t>(limits.sentences);
    if (limits.tokens > 0)
      size = std::min(size, std::max<std::size_t>(1, static_cast<std::size_t>(limits.tokens) / length));
    for (std::size_t start = 0; start < indices.size(); start += size) {
      const std::size_t end = std::min(indices.size(), start + size);
      batches.emplace_back(indices.begin() + static_cast<std::ptrdiff_t>(start),
                           indices.begin() + static_cast<std::ptrdiff_t>(end));
    }
  }
  return batches;
}

}  // namespace nmt
