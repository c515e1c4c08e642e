#pragma once
// Translating many sentences: groups them by source length (the encoder needs
// one length per batch), runs a search per batch (decode()), and returns the
// results in the original order.

#include <string>
#include <vector>

#include "nmt/decoder/decoding_options.h"
#include "nmt/decoder/search/search_strategy.h"
#include "nmt/decoder/shortlist.h"
#include "nmt/model/batching.h"
#include "nmt/model/translation_model.h"

namespace nmt {

// One entry of an n-best list, as text.
struct Translation {
  std::string text;
  float log_probability = 0;  // as nmt score computes it
  float score = 0;            // what the search ranked by
  // With DecodingOptions::attention_history: per output subword and the final
  // </s>, the attention weights over the source's subwords (Hypothesis::attention,
  // in the source's own order).
  std::vector<std::vector<float>> attention;
};

class Translator {
 public:
  explicit Translator(TranslationModel& model);
  // Subword ids only (translate_ids): no vocabularies needed.
  explicit Translator(Seq2SeqModel& network);

  // sources: subword ids. Per sentence, up to options.n_best hypotheses, best
  // first; an empty source gives one empty hypothesis (log-probability 0, no
  // attention rows). With options.attention_history each hypothesis's
  // attention rows weigh the source's subwords in its own order, also when
  // the model reads it reversed (ModelConfig::reverse_source).
  std::vector<std::vector<Hypothesis>> translate_ids(const std::vector<std::vector<int>>& sources,
                                                     const DecodingOptions& options,
                                                     const BatchLimits& limits);
  // Plain text in, detokenized n-best lists out.
  // cut_lines, if given, receives the indices of lines longer than
  // options.max_input_length subwords, whose beginning was translated.
  std::vector<std::vector<Translation>> translate_n_best(const std::vector<std::string>& lines,
                                                         const DecodingOptions& options,
                                                         const BatchLimits& limits,
                                                         std::vector<std::size_t>* cut_lines = nullptr);
  // Plain text in, the best translation of each line out.
  std::vector<std::string> translate(const std::vector<std::string>& lines,
                                     const DecodingOptions& options, const BatchLimits& limits);

  // Decodes each batch over the shortlist's candidates for its sources only
  // (null: the whole vocabulary). The shortlist must outlive the translations.
  void set_shortlist(const Shortlist* shortlist) { shortlist_ = shortlist; }

 private:
  Seq2SeqModel& network_;
  TranslationModel* model_ = nullptr;  // for text; null for ids only
  const Shortlist* shortlist_ = nullptr;
};

}  // namespace nmt
