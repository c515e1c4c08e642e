#include "nmt/model/batch.h"

#include <algorithm>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

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

Batch make_batch(const std::vector<SentencePair>& pairs, const std::vector<std::size_t>& indices,
                 bool reverse_source) {
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
  return batch;
}

}  // namespace nmt
