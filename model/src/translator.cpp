#include "nmt/model/translator.h"

#include <algorithm>
#include <memory>

#include "nmt/core/error.h"
#include "nmt/decoder/search/decode.h"

namespace nmt {

namespace {

// Copies a run's encoder outputs [L, n, H] into rows first .. first + n - 1 of
// stacked [S, N, H] (S >= L), time step by time step.
void stack_outputs(const Tensor& outputs, int64_t first, Tensor& stacked) {
  const int64_t steps = outputs.dim(0), rows = outputs.dim(1), width = outputs.dim(2);
  const int64_t batch = stacked.dim(1);
  for (int64_t t = 0; t < steps; ++t)
    std::copy_n(outputs.data() + t * rows * width, rows * width, stacked.data() + (t * batch + first) * width);
}

}  // namespace

Translator::Translator(TranslationModel& model) : network_(*model.network), model_(&model) {}

Translator::Translator(Seq2SeqModel& network) : network_(network) {}

std::vector<std::vector<Hypothesis>> Translator::translate_ids(
    const std::vector<std::vector<int>>& sources, const DecodingOptions& options,
    const BatchLimits& limits) {
  const bool reverse = network_.config().reverse_source;
  const int layers = network_.config().layers;
  const int hidden = network_.config().hidden_size;
  auto& encoder = network_.encoder();

  // The decoder reads only the context (and, with attention, the encoder's
  // outputs under a per-sentence length mask), so a decoder batch may hold
  // several source lengths: each batch is encoded in runs of one length (the
  // encoder's constraint), and the runs' contexts are stacked. Large decoder
  // batches matter: every step streams the projection and LSTM weights from
  // memory once per batch.
  std::vector<std::size_t> lengths;
  for (const auto& source : sources) lengths.push_back(source.size());
  const auto batches = plan_inference_batches(lengths, limits, false);

  std::vector<std::vector<Hypothesis>> results(sources.size(), std::vector<Hypothesis>(1));
  std::vector<Tensor> stacked_h(static_cast<std::size_t>(layers)), stacked_c(stacked_h.size());
  // With attention, the runs' encoder outputs too, as one [S_max, batch, H]
  // tensor: a sentence of length L has its states at positions 0 .. L - 1
  // (reversed or not, the encoder ran over L real tokens), zeros after them,
  // which the attention's mask leaves out.
  const bool attention = network_.config().attention.has_value();
  const int64_t output_size = network_.config().encoder_output_size();
  Tensor stacked_outputs;
  std::vector<int> batch_source, max_lengths, source_lengths;
  std::vector<const std::vector<int>*> run;
  for (const BatchIndices& members : batches) {
    const auto length_of = [&](std::size_t k) { return sources[members[k]].size(); };
    const int batch = static_cast<int>(members.size());
    for (auto& h : stacked_h) h.resize({batch, hidden});
    for (auto& c : stacked_c) c.resize({batch, hidden});
    max_lengths.clear();
    source_lengths.clear();
    if (attention) {
      // Sorted by length: the batch's last sentence is its longest.
      stacked_outputs.resize({static_cast<int64_t>(length_of(members.size() - 1)), batch, output_size});
      stacked_outputs.zero();
    }
    for (std::size_t first = 0; first < members.size();) {
      const std::size_t length = length_of(first);
      std::size_t last = first;
      run.clear();
      while (last < members.size() && length_of(last) == length) run.push_back(&sources[members[last++]]);
      layout_sources(run, reverse, batch_source);
      encoder.forward(batch_source.data(), static_cast<int>(length), static_cast<int>(run.size()), false);
      const Context context = encoder.context();
      const std::size_t offset = first * static_cast<std::size_t>(hidden);
      const std::size_t count = run.size() * static_cast<std::size_t>(hidden);
      for (int l = 0; l < layers; ++l) {
        std::copy_n(context[l].h->data(), count, stacked_h[l].data() + offset);
        std::copy_n(context[l].c->data(), count, stacked_c[l].data() + offset);
      }
      if (attention) stack_outputs(encoder.outputs(), static_cast<int64_t>(first), stacked_outputs);
      max_lengths.insert(max_lengths.end(), run.size(), max_output_length(options, static_cast<int>(length)));
      source_lengths.insert(source_lengths.end(), run.size(), static_cast<int>(length));
      first = last;
    }
    Context context;
    for (int l = 0; l < layers; ++l) context.push_back({&stacked_h[l], &stacked_c[l]});
    Decoder& decoder = network_.decoder();
    const DecoderState initial =
        attention ? decoder.start(context, stacked_outputs, source_lengths) : decoder.start(context);
    if (shortlist_) {
      run.clear();
      for (const std::size_t member : members) run.push_back(&sources[member]);
      decoder.restrict_output(shortlist_->candidates(run, {decoder.end_id()}));
    }
    // The decoder goes back to the whole vocabulary however decode() ends.
    const std::unique_ptr<Decoder, void (*)(Decoder*)> unrestrict(
        shortlist_ ? &decoder : nullptr, [](Decoder* d) { d->unrestrict_output(); });
    auto found = decode(decoder, initial, max_lengths, options);
    for (int b = 0; b < batch; ++b) results[members[static_cast<std::size_t>(b)]] = std::move(found[b]);
  }
  // The encoder read a reversed source backwards: its position j is the
  // sentence's subword L - 1 - j.
  if (options.attention_history && reverse)
    for (auto& n_best : results)
      for (auto& hypothesis : n_best)
        for (auto& weights : hypothesis.attention) std::reverse(weights.begin(), weights.end());
  return results;
}

std::vector<std::vector<Translation>> Translator::translate_n_best(
    const std::vector<std::string>& lines, const DecodingOptions& options, const BatchLimits& limits,
    std::vector<std::size_t>* cut_lines) {
  if (model_ == nullptr) throw Error("Translator: text needs a model with vocabularies");
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (const auto& line : lines) {
    sources.push_back(model_->source_vocab.encode_ids(line));
    if (options.max_input_length > 0 && sources.back().size() > static_cast<std::size_t>(options.max_input_length)) {
      sources.back().resize(static_cast<std::size_t>(options.max_input_length));
      if (cut_lines) cut_lines->push_back(sources.size() - 1);
    }
  }
  const auto hypotheses = translate_ids(sources, options, limits);
  std::vector<std::vector<Translation>> output(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (const auto& hypothesis : hypotheses[i])
      output[i].push_back({model_->target_vocab.decode_ids(hypothesis.tokens), hypothesis.log_probability,
                           hypothesis.score, hypothesis.attention});
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
