#include "nmt/model/batching.h"

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

namespace {

void check(const BatchLimits& limits) {
  if (limits.sentences < 1)
    throw Error("batch size must be at least 1 sentence, got " + std::to_string(limits.sentences));
  if (limits.tokens < 0) throw Error("a batch's token limit must be 0 (none) or more, got " + std::to_string(limits.tokens));
}

// Cuts `order` into consecutive batches: a sentence joins the open batch
// unless that would break a limit, or splits(last index, index) says a new
// batch starts. grow(batch, cost, index) is the token count of the batch
// (whose count is cost) with index added.
template <class Grow, class Splits>
std::vector<BatchIndices> cut(const BatchIndices& order, const BatchLimits& limits, Grow grow, Splits splits) {
  std::vector<BatchIndices> batches;
  BatchIndices batch;
  std::size_t cost = 0;
  for (const std::size_t index : order) {
    if (!batch.empty()) {
      const bool over_sentences = batch.size() >= static_cast<std::size_t>(limits.sentences);
      const bool over_tokens =
          limits.tokens > 0 && grow(batch, cost, index) > static_cast<std::size_t>(limits.tokens);
      if (over_sentences || over_tokens || splits(batch.back(), index)) {
        batches.push_back(std::move(batch));
        batch.clear();
        cost = 0;
      }
    }
    cost = grow(batch, cost, index);
    batch.push_back(index);
  }
  if (!batch.empty()) batches.push_back(std::move(batch));
  return batches;
}

}  // namespace

std::vector<BatchIndices> plan_training_batches(const std::vector<SentencePair>& pairs, const BatchLimits& limits,
                                                std::uint64_t seed, std::uint64_t epoch) {
  check(limits);
  // A language model's pairs have no source: they are bucketed by target
  // length instead, which spares the decoder the padding.
  std::map<std::size_t, BatchIndices> by_source_length;
  for (std::size_t i = 0; i < pairs.size(); ++i)
    by_source_length[pairs[i].source.empty() ? pairs[i].target.size() : pairs[i].source.size()].push_back(i);

  std::seed_seq seeds{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(epoch), static_cast<std::uint32_t>(epoch >> 32)};
  std::mt19937_64 rng(seeds);
  // Padded target tokens: the longest target (+ </s>) times the sentences.
  const auto padded_targets = [&](const BatchIndices& batch, std::size_t cost, std::size_t index) {
    const std::size_t longest = batch.empty() ? 0 : cost / batch.size();
    return std::max(longest, pairs[index].target.size() + 1) * (batch.size() + 1);
  };
  const auto never = [](std::size_t, std::size_t) { return false; };
  std::vector<BatchIndices> batches;
  for (auto& [length, group] : by_source_length) {
    // Shuffled, then ordered by target length (ties stay shuffled): the
    // decoder runs over a batch's longest target, and with buckets cut as
    // they fell it ran over 31 % more positions than there are target tokens
    // on the Bible corpus, against 3 % ordered.
    std::shuffle(group.begin(), group.end(), rng);
    std::stable_sort(group.begin(), group.end(), [&](std::size_t a, std::size_t b) {
      return pairs[a].target.size() < pairs[b].target.size();
    });
    for (auto& batch : cut(group, limits, padded_targets, never)) batches.push_back(std::move(batch));
  }
  std::shuffle(batches.begin(), batches.end(), rng);
  return batches;
}

std::vector<BatchIndices> plan_inference_batches(const std::vector<std::size_t>& source_lengths,
                                                 const BatchLimits& limits, bool one_length_per_batch) {
  check(limits);
  BatchIndices order;
  for (std::size_t i = 0; i < source_lengths.size(); ++i)
    if (source_lengths[i] > 0) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return source_lengths[a] < source_lengths[b]; });
  // Source tokens as they are, not padded: the encoder runs over each length
  // on its own, so padding costs nothing there.
  const auto source_tokens = [&](const BatchIndices&, std::size_t cost, std::size_t index) {
    return cost + source_lengths[index];
  };
  const auto new_length = [&](std::size_t last, std::size_t next) {
    return one_length_per_batch && source_lengths[last] != source_lengths[next];
  };
  return cut(order, limits, source_tokens, new_length);
}

void layout_sources(const std::vector<const std::vector<int>*>& sources, bool reverse_source,
                    std::vector<int>& out) {
  const int n = static_cast<int>(sources.size());
  const int steps = n == 0 ? 0 : static_cast<int>(sources.front()->size());
  out.resize(static_cast<std::size_t>(steps) * n);
  for (int b = 0; b < n; ++b) {
    const auto& source = *sources[b];
    if (static_cast<int>(source.size()) != steps)
      throw Error("a batch mixes source lengths");  // callers group by length
    for (int t = 0; t < steps; ++t)
      out[static_cast<std::size_t>(t) * n + b] = source[reverse_source ? steps - 1 - t : t];
  }
}

Batch make_batch(const std::vector<SentencePair>& pairs, const BatchIndices& indices, bool reverse_source) {
  Batch batch;
  batch.batch_size = static_cast<int>(indices.size());
  if (indices.empty()) return batch;
  batch.source_length = static_cast<int>(pairs[indices.front()].source.size());
  std::vector<const std::vector<int>*> sources;
  for (const std::size_t index : indices) {
    sources.push_back(&pairs[index].source);
    batch.target_length = std::max(batch.target_length, static_cast<int>(pairs[index].target.size()) + 1);
  }
  layout_sources(sources, reverse_source, batch.source);
  const int n = batch.batch_size;
  batch.target_input.assign(static_cast<std::size_t>(batch.target_length) * n, kPadId);
  batch.target_output.assign(static_cast<std::size_t>(batch.target_length) * n, kPadId);
  for (int b = 0; b < n; ++b) {
    const auto& pair = pairs[indices[b]];
    const int length = static_cast<int>(pair.target.size());
    batch.target_input[b] = kBosId;
    for (int t = 0; t < length; ++t) {
      batch.target_input[static_cast<std::size_t>(t + 1) * n + b] = pair.target[t];
      batch.target_output[static_cast<std::size_t>(t) * n + b] = pair.target[t];
    }
    batch.target_output[static_cast<std::size_t>(length) * n + b] = kEosId;
    batch.target_tokens += length + 1;
  }
  for (std::size_t row = 0; row < batch.target_output.size(); ++row) {
    const int t = static_cast<int>(row) / n;
    if (t <= static_cast<int>(pairs[indices[row % n]].target.size())) {
      batch.output_rows.push_back(static_cast<int>(row));
      batch.output_ids.push_back(batch.target_output[row]);
    }
  }
  return batch;
}

}  // namespace nmt
