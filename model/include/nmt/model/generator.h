#pragma once
// Text from a language model (ModelConfig::task lm): each row starts from
// zero states and <s>, reads its prompt's tokens (teacher forcing, one step
// each), then draws one token per step (sampling.h) until </s> or the length
// limit. All rows of a call advance together in one decoder step.

#include <cstdint>
#include <string>
#include <vector>

#include "nmt/decoder/search/sampling.h"
#include "nmt/model/translation_model.h"

namespace nmt {

class Generator {
 public:
  // Throws nmt::Error when the model is not a language model.
  explicit Generator(TranslationModel& model);
  // For generate_ids() alone (no vocabulary).
  explicit Generator(Seq2SeqModel& network);

  // samples continuations of each prompt (which may be empty), in order:
  // prompt 0's samples, then prompt 1's. Each is the prompt's text followed
  // by what the model wrote. Row i draws from its own generator seeded by
  // (options.seed, i), so a row's text depends on the seed and its place in
  // the call only.
  std::vector<std::string> generate(const std::vector<std::string>& prompts, int samples,
                                    const SamplingOptions& options);
  // The same on ids (no <s> or </s>): the tokens generated after each prompt.
  std::vector<std::vector<int>> generate_ids(const std::vector<std::vector<int>>& prompts,
                                             const SamplingOptions& options);

 private:
  Seq2SeqModel& network_;
  const SubwordModel* vocab_ = nullptr;  // generate()'s
  SamplingScratch scratch_;
};

}  // namespace nmt
