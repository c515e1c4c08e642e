#include "nmt/model/generator.h"

#include "nmt/core/error.h"
#include "nmt/decoder/decoder.h"

namespace nmt {

Generator::Generator(Seq2SeqModel& network) : network_(network) {
  if (network.config().task != ModelTask::lm)
    throw Error("nmt generate needs a language model (nmt train --task lm); this is a translation model");
}

Generator::Generator(TranslationModel& model) : Generator(*model.network) { vocab_ = &model.target_vocab; }

std::vector<std::vector<int>> Generator::generate_ids(const std::vector<std::vector<int>>& prompts,
                                                      const SamplingOptions& options) {
  check(options);
  const int rows = static_cast<int>(prompts.size());
  std::vector<std::vector<int>> generated(prompts.size());
  if (rows == 0) return generated;
  Decoder& decoder = network_.decoder();
  const int layers = network_.config().layers, hidden = network_.config().hidden_size;
  std::vector<Tensor> zeros_h, zeros_c;
  for (int l = 0; l < layers; ++l) {
    zeros_h.emplace_back(std::vector<std::int64_t>{rows, hidden});
    zeros_c.emplace_back(std::vector<std::int64_t>{rows, hidden});
  }
  Context zero_context;
  for (int l = 0; l < layers; ++l) zero_context.push_back({&zeros_h[l], &zeros_c[l]});
  DecoderState state = decoder.start(zero_context);

  std::vector<std::mt19937_64> rngs;
  for (int r = 0; r < rows; ++r) {
    std::seed_seq seeds{static_cast<std::uint32_t>(options.seed), static_cast<std::uint32_t>(options.seed >> 32),
                        static_cast<std::uint32_t>(r)};
    rngs.emplace_back(seeds);
  }
  std::vector<int> previous(static_cast<std::size_t>(rows), decoder.start_id());
  std::vector<bool> done(static_cast<std::size_t>(rows), false);
  int open = rows;
  for (int t = 0; open > 0; ++t) {
    const Tensor& logits = decoder.step(state, previous.data(), state);
    const int vocab = decoder.output_size();
    for (int r = 0; r < rows; ++r) {
      if (done[r]) continue;  // its row still steps with the others; its output is ignored
      const auto& prompt = prompts[static_cast<std::size_t>(r)];
      if (static_cast<std::size_t>(t) < prompt.size()) {  // still reading the prompt
        previous[r] = prompt[static_cast<std::size_t>(t)];
        continue;
      }
      const int token = choose_token(logits.data() + static_cast<std::size_t>(r) * vocab, vocab, options, rngs[r], scratch_);
      auto& out = generated[static_cast<std::size_t>(r)];
      if (token == decoder.end_id() || static_cast<int>(out.size()) >= options.max_length) {
        done[r] = true;
        --open;
        continue;
      }
      out.push_back(token);
      previous[r] = token;
    }
  }
  return generated;
}

std::vector<std::string> Generator::generate(const std::vector<std::string>& prompts, int samples,
                                             const SamplingOptions& options) {
  if (samples < 1) throw Error("-n must be at least 1, got " + std::to_string(samples));
  if (!vocab_) throw Error("Generator::generate: no vocabulary (made from a network alone)");
  const SubwordModel& vocab = *vocab_;
  std::vector<std::vector<int>> rows;
  for (const auto& prompt : prompts)
    for (int s = 0; s < samples; ++s) rows.push_back(vocab.encode_ids(prompt));
  const auto generated = generate_ids(rows, options);
  std::vector<std::string> texts;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::vector<int> ids = rows[r];
    ids.insert(ids.end(), generated[r].begin(), generated[r].end());
    texts.push_back(vocab.decode_ids(ids));
  }
  return texts;
}

}  // namespace nmt
