#pragma once
// Tiny models with random weights for the search tests: small enough to
// enumerate every output of a few tokens.

#include <cstdint>
#include <string>
#include <vector>

#include "nmt/core/random.h"
#include "nmt/decoder/decoding_options.h"
#include "nmt/decoder/search/search_strategy.h"
#include "nmt/model/model_config.h"
#include "nmt/model/scorer.h"
#include "nmt/model/seq2seq_model.h"

namespace nmt::testing {

constexpr int kTargetVocab = 8;  // 4 reserved ids + 4 words: small enough to enumerate

// Scorer and search run the decoder in different shapes (all steps at once,
// one step at a time), so their sums differ by float rounding only.
constexpr float kLogProbabilityTolerance = 1e-4f;

// A tiny model with random weights scaled up, so that its distributions are
// peaked like a trained model's rather than near uniform.
struct TinyModel {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel network;

  // attention: "none", "dot" or "general".
  explicit TinyModel(uint64_t seed, const std::string& attention = "none", bool reverse_source = true)
      : network(dnn, config(attention, reverse_source)) {
    network.initialize(seed);
    for (const auto& p : network.parameters())
      for (std::size_t i = 0; i < p.size; ++i) p.value[i] *= 6.0f;
    network.weights_changed();
  }

  static nmt::ModelConfig config(const std::string& attention, bool reverse_source) {
    nmt::ModelConfig config;
    config.attention = nmt::parse_attention(attention);
    config.reverse_source = reverse_source;
    config.source_vocab_size = 12;
    config.target_vocab_size = kTargetVocab;
    config.embedding_size = 8;
    config.hidden_size = 16;
    config.layers = 2;
    config.dropout = 0.0f;
    return config;
  }

  // Encodes `sources` (one length): the decoder's start state, whose
  // attention (if any) reads the encoder's outputs in place.
  nmt::DecoderState start(const std::vector<std::vector<int>>& sources) {
    std::vector<const std::vector<int>*> group;
    for (const auto& source : sources) group.push_back(&source);
    std::vector<int> laid_out;
    nmt::layout_sources(group, network.config().reverse_source, laid_out);
    const int batch = static_cast<int>(sources.size());
    const int length = static_cast<int>(sources.front().size());
    network.encoder().forward(laid_out.data(), length, batch, false);
    if (!network.config().attention) return network.decoder().start(network.encoder().context());
    return network.decoder().start(network.encoder().context(), network.encoder().outputs(),
                                   std::vector<int>(sources.size(), length));
  }

  // Encodes `sources` (one length) and runs `search` on them.
  std::vector<std::vector<nmt::Hypothesis>> search(nmt::SearchStrategy& search,
                                                   const std::vector<std::vector<int>>& sources,
                                                   int max_length, const nmt::DecodingOptions& options) {
    const auto state = start(sources);
    return search.search(network.decoder(), state, std::vector<int>(sources.size(), max_length), options);
  }

  float score(const std::vector<int>& source, const std::vector<int>& target) {
    nmt::Scorer scorer(network);
    return scorer.score_ids({{source, target}}, {}).front();
  }
};

inline std::vector<std::vector<int>> random_sources(int count, int length, uint64_t seed) {
  nmt::Rng rng(seed);
  std::vector<std::vector<int>> sources(static_cast<std::size_t>(count));
  for (auto& source : sources) {
    source.resize(static_cast<std::size_t>(length));
    for (auto& id : source) id = 4 + static_cast<int>(rng.next() % 8);
  }
  return sources;
}

// The tests that run on the plain model and on both attention scores.
inline const std::vector<std::string> kAttentions{"none", "dot", "general"};

inline nmt::DecodingOptions beam_options(int beam_size, int n_best, nmt::LengthNormalization normalization) {
  nmt::DecodingOptions options;
  options.beam_size = beam_size;
  options.n_best = n_best;
  options.length_normalization = normalization;
  return options;
}

}  // namespace nmt::testing
