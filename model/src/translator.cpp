#include "nmt/model/translator.h"

#include <memory>

#include "nmt/core/error.h"
#include "nmt/decoder/search/beam_search.h"
#include "nmt/decoder/search/greedy_search.h"

namespace nmt {

namespace {

std::unique_ptr<SearchStrategy> make_search(const DecodingOptions& options) {
  validate(options);
  if (options.beam_size == 1) return std::make_unique<GreedySearch>();
  return std::make_unique<BeamSearch>();
}

}  // namespace

Translator::Translator(TranslationModel& model) : network_(*model.network), model_(&model) {}

Translator::Translator(Seq2SeqModel& network) : network_(network) {}

std::vector<std::vector<Hypothesis>> Translator::translate_ids(
    const std::vector<std::vector<int>>& sources, const DecodingOptions& options,
    const BatchLimits& limits) {
  const auto search = make_search(options);
  std::vector<std::size_t> source_lengths;
  source_lengths.reserve(sources.size());
  for (const auto& source : sources) source_lengths.push_back(source.size());

  const bool reverse = network_.config().reverse_source;
  std::vector<std::vector<Hypothesis>> results(sources.size(), std::vector<Hypothesis>(1));
  std::vector<int> batch_source;
  std::vector<const std::vector<int>*> group;
  for (const auto& indices : source_batches(source_lengths, limits)) {
    const int steps = static_cast<int>(sources[indices.front()].size());
    const int batch = static_cast<int>(indices.size());
    group.clear();
    for (const std::size_t i : indices) group.push_back(&sources[i]);
    layout_sources(group, reverse, batch_source);
    auto& encoder = network_.encoder();
    encoder.forward(batch_source.data(), steps, batch, false);
    auto found = search->search(network_.decoder(), encoder.context(), batch,
                                max_output_length(options, steps), options);
    for (int b = 0; b < batch; ++b) results[indices[b]] = std::move(found[b]);
  }
  return results;
}

std::vector<std::vector<Translation>> Translator::translate_n_best(
    const std::vector<std::string>& lines, const DecodingOptions& options, const BatchLimits& limits) {
  if (model_ == nullptr) throw Error("Translator: text needs a model with vocabularies");
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (const auto& line : lines) sources.push_back(model_->source_vocab.encode_ids(line));
  const auto hypotheses = translate_ids(sources, options, limits);
  std::vector<std::vector<Translation>> output(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (const auto& hypothesis : hypotheses[i])
      output[i].push_back({model_->target_vocab.decode_ids(hypothesis.tokens),
                           hypothesis.log_probability, hypothesis.score});
  }
  return output;
}

std::vector<std::string> Translator::translate(const std::vector<std::string>& lines,
                                               const DecodingOptions& options,
                                               const BatchLimits& limits) {
  std::vector<std::string> best;
  best.reserve(lines.size());
  for (auto& n_best : translate_n_best(lines, options, limits)) best.push_back(std::move(n_best.front().text));
  return best;
}

}  // namespace nmt
