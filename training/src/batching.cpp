#include "nmt/training/batching.h"

#include <algorithm>
#include <map>
#include <random>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

std::vector<BatchIndices> plan_epoch(const std::vector<SentencePair>& pairs,
                                     const BatchingOptions& options, std::uint64_t seed,
                                     std::uint64_t epoch) {
  if (options.batch_sentences <= 0) throw Error("batch size must be positive");
  std::map<std::size_t, BatchIndices> by_source_length;
  for (std::size_t i = 0; i < pairs.size(); ++i) by_source_length[pairs[i].source.size()].push_back(i);

  std::seed_seq seeds{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(epoch), static_cast<std::uint32_t>(epoch >> 32)};
  std::mt19937_64 rng(seeds);
  std::vector<BatchIndices> batches;
  for (auto& [length, group] : by_source_length) {
    std::shuffle(group.begin(), group.end(), rng);
    BatchIndices batch;
    std::size_t longest_target = 0;
    for (const std::size_t index : group) {
      const std::size_t longest = std::max(longest_target, pairs[index].target.size() + 1);
      const bool over_tokens = options.batch_tokens > 0 && !batch.empty() &&
                               longest * (batch.size() + 1) > static_cast<std::size_t>(options.batch_tokens);
      const bool over_sentences = batch.size() >= static_cast<std::size_t>(options.batch_sentences);
      if (over_tokens || over_sentences) {
        batches.push_back(std::move(batch));
        batch.clear();
        longest_target = 0;
      }
      batch.push_back(index);
      longest_target = std::max(longest_target, pairs[index].target.size() + 1);
    }
    if (!batch.empty()) batches.push_back(std::move(batch));
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

}  // namespace nmt
