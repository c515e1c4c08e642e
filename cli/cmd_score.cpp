// `nmt score`: the model's log-probability of given translations.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "chunked_stream.h"
#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/model/scorer.h"
#include "nmt/model/translation_model.h"
#include "options.h"

namespace nmt::cli {

int run_score(const Args& args) {
  const CommandSpec spec{"score", "nmt score -m MODEL --src FILE --tgt FILE [-o FILE] [options]",
                         "Writes log p(target | source) under the model for each line pair: the sum of\n"
                         "the log-probabilities of the target's subwords and the final </s>, by teacher\n"
                         "forcing. One number per line, in input order; for a translation nmt translate\n"
                         "produced it is the log-probability translate --scores reports. An empty source\n"
                         "scores 0 with an empty target and -inf otherwise (translate maps it to nothing)."};
  std::string model_path, source_path, target_path, output;
  BatchLimits batch;
  int threads = 0, chunk_batches = 20, max_length = 1024;
  bool quiet = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "model from nmt train")
      ("src", po::value(&source_path)->required()->value_name("FILE"), "source sentences (- = stdin)")
      ("tgt", po::value(&target_path)->required()->value_name("FILE"), "their translations, line-aligned")
      ("output,o", po::value(&output)->default_value("-")->value_name("FILE"), "scores (- = stdout)")
      ("batch-size", po::value(&batch.sentences)->default_value(batch.sentences), "sentences per batch ...")
      ("batch-tokens", po::value(&batch.tokens)->default_value(0),
       "... and at most this many source subwords per batch (0 = no limit)")
      ("max-length", po::value(&max_length)->default_value(max_length),
       "a pair with a side longer than this (subwords) is not scored: nan, with a warning naming the line")
      ("threads", po::value(&threads)->default_value(0), "threads (0 = all cores)")
      ("quiet", po::bool_switch(&quiet), "no progress on stderr");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  require_at_least(batch.sentences, 1, "batch-size");
  require_at_least(batch.tokens, 0, "batch-tokens");
  require_at_least(max_length, 1, "max-length");
  require_threads(threads);
  refuse_same_file(source_path, "src", output, "output");
  refuse_same_file(target_path, "tgt", output, "output");

  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  auto model = TranslationModel::load(dnn, model_path);
  Scorer scorer(*model.network);
  ParallelLineReader files(source_path, target_path);
  LineWriter writer(output);
  ProgressLine progress("score", lines_in(source_path), "lines");
  progress.set_quiet(quiet);

  std::string source_line, target_line;
  std::int64_t line = 0;
  std::set<std::int64_t> too_long;  // lines (from 0) of this chunk's pairs left unscored
  const auto read = [&](SentencePair& pair) {
    if (!files.next(source_line, target_line)) return false;
    pair = {model.source_vocab.encode_ids(source_line), model.target_vocab.encode_ids(target_line)};
    const std::size_t longest = std::max(pair.source.size(), pair.target.size());
    if (longest > static_cast<std::size_t>(max_length)) {
      // Its activations grow with the length (attention with its square): a
      // stray huge line must not take the machine's memory.
      spdlog::warn("{}:{}: {} subwords, over --max-length {}: not scored (nan)",
                   pair.source.size() >= pair.target.size() ? source_path : target_path, line + 1, longest,
                   max_length);
      too_long.insert(line);
      pair = {};
    }
    ++line;
    return true;
  };
  const auto score = [&](const std::vector<SentencePair>& pairs, std::int64_t first) {
    char number[32];
    const auto values = scorer.score_ids(pairs, batch);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const bool skipped = too_long.erase(first + static_cast<std::int64_t>(i)) != 0;
      std::snprintf(number, sizeof number, "%.4f", skipped ? NAN : static_cast<double>(values[i]));
      writer.write(number);
    }
  };
  stream_in_chunks<SentencePair>(static_cast<std::size_t>(batch.sentences) * chunk_batches, read, score, writer,
                                 progress);
  return 0;
}

}  // namespace nmt::cli
