#pragma once
// Translating many sentences: groups them by source length (the encoder needs
// one length per batch), runs a search per group, and returns the results in
// the original order.

#include <string>
#include <vector>

#include "nmt/decoder/decoding_options.h"
#include "nmt/decoder/search/search_strategy.h"
#include "nmt/model/translation_model.h"

namespace nmt {

class Translator {
 public:
  explicit Translator(TranslationModel& model);

  // sources: subword ids; empty sources give empty hypotheses. batch_size:
  // sentences per search call.
  std::vector<Hypothesis> translate_ids(const std::vector<std::vector<int>>& sources,
                                        const DecodingOptions& options, int batch_size);
  // Plain text in, detokenized text out.
  std::vector<std::string> translate(const std::vector<std::string>& lines,
                                     const DecodingOptions& options, int batch_size);

 private:
  TranslationModel& model_;
};

}  // namespace nmt
