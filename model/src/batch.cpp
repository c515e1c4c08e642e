#include "nmt/model/batch.h"

#include <algorithm>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

Batch make_batch(const std::vector<SentencePair>& pairs, const std::vector<std::size_t>& indices,
                 bool reverse_source) {
  Batch batch;
  batch.batch_size = static_cast<int>(indices.size());
  if (indices.empty()) return batch;
  batch.source_length = static_cast<int>(pairs[indices.front()].source.size());
  for (const std::size_t index : indices) {
    if (static_cast<int>(pairs[index].source.size()) != batch.source_length)
      throw Error("batch mixes source lengths");  // plan_epoch never does this
    batch.target_length = std::max(batch.target_length, static_cast<int>(pairs[index].target.size()) + 1);
  }
  const int n = batch.batch_size;
  batch.source.resize(static_cast<std::size_t>(batch.source_length) * n);
  batch.target_input.assign(static_cast<std::size_t>(batch.target_length) * n, kPadId);
  batch.target_output.assign(static_cast<std::size_t>(batch.target_length) * n, kPadId);
  for (int b = 0; b < n; ++b) {
    const auto& pair = pairs[indices[b]];
    for (int t = 0; t < batch.source_length; ++t) {
      const int from = reverse_source ? batch.source_length - 1 - t : t;
      batch.source[static_cast<std::size_t>(t) * n + b] = pair.source[from];
    }
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
