#include "nmt/model/translator.h"

#include <algorithm>
#include <map>
#include <memory>

#include "nmt/core/error.h"
#include "nmt/decoder/search/greedy_search.h"

namespace nmt {

namespace {

std::unique_ptr<SearchStrategy> make_search(const DecodingOptions& options) {
  if (options.beam_size == 1) return std::make_unique<GreedySearch>();
  throw Error("beam search is not available yet: use --beam-size 1");
}

}  // namespace

Translator::Translator(TranslationModel& model) : model_(model) {}

std::vector<Hypothesis> Translator::translate_ids(const std::vector<std::vector<int>>& sources,
                                                  const DecodingOptions& options, int batch_size) {
  std::map<std::size_t, std::vector<std::size_t>> by_length;
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (!sources[i].empty()) by_length[sources[i].size()].push_back(i);

  const auto search = make_search(options);
  const bool reverse = model_.network->config().reverse_source;
  std::vector<Hypothesis> results(sources.size());
  std::vector<int> batch_source;
  std::vector<const std::vector<int>*> group;
  for (const auto& [length, indices] : by_length) {
    const int steps = static_cast<int>(length);
    for (std::size_t start = 0; start < indices.size(); start += static_cast<std::size_t>(batch_size)) {
      const std::size_t end = std::min(indices.size(), start + static_cast<std::size_t>(batch_size));
      const int batch = static_cast<int>(end - start);
      group.clear();
      for (std::size_t i = start; i < end; ++i) group.push_back(&sources[indices[i]]);
      layout_sources(group, reverse, batch_source);
      auto& encoder = model_.network->encoder();
      encoder.forward(batch_source.data(), steps, batch, false);
      auto found = search->search(model_.network->decoder(), encoder.context(), batch,
                                  max_output_length(options, steps), options);
      for (int b = 0; b < batch; ++b) results[indices[start + b]] = std::move(found[b].front());
    }
  }
  return results;
}

std::vector<std::string> Translator::translate(const std::vector<std::string>& lines,
                                               const DecodingOptions& options, int batch_size) {
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (const auto& line : lines) sources.push_back(model_.source_vocab.encode_ids(line));
  const auto hypotheses = translate_ids(sources, options, batch_size);
  std::vector<std::string> output;
  output.reserve(lines.size());
  for (const auto& hypothesis : hypotheses) output.push_back(model_.target_vocab.decode_ids(hypothesis.tokens));
  return output;
}

}  // namespace nmt
