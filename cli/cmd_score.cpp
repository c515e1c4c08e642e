// `nmt score`: the model's log-probability of given translations.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "chunked_stream.h"
#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/python_text.h"
#include "nmt/model/scorer.h"
#include "nmt/model/translation_model.h"
#include "options.h"

namespace nmt::cli {

int run_score(const Args& args) {
  const CommandSpec spec{"score",
                         "nmt score -m MODEL --src FILE --tgt FILE [-o FILE] [options]\n"
                         "  or: nmt score -m LANGUAGE_MODEL -i FILE [-o FILE] [options]",
                         "Writes log p(target | source) under the model for each line pair: the sum of\n"
                         "the log-probabilities of the target's subwords and the final </s>, by teacher\n"
                         "forcing. One number per line, in input order; for a translation nmt translate\n"
                         "produced it is the log-probability translate --scores reports. An empty source\n"
                         "scores 0 with an empty target and -inf otherwise (translate maps it to nothing).\n"
                         "With a language model (nmt train --task lm), each line of -i gets log p(line)\n"
                         "and its perplexity, tab-separated; the whole text's perplexity and bits per\n"
                         "character go to stderr."};
  std::string model_path, source_path, target_path, text_path, output;
  BatchLimits batch;
  int threads = 0, chunk_batches = 20, max_length = 1024;
  bool quiet = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "model from nmt train")
      ("src", po::value(&source_path)->value_name("FILE"), "source sentences (- = stdin)")
      ("tgt", po::value(&target_path)->value_name("FILE"), "their translations, line-aligned")
      ("input,i", po::value(&text_path)->value_name("FILE"), "a language model's text, a sentence per line (- = stdin)")
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
  // Before anything is read: the output must not overwrite an input.
  if (!source_path.empty()) refuse_same_file(source_path, "src", output, "output");
  if (!target_path.empty()) refuse_same_file(target_path, "tgt", output, "output");
  if (!text_path.empty()) refuse_same_file(text_path, "input", output, "output");

  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  auto model = TranslationModel::load(dnn, model_path);
  const bool language_model = model.network->config().task == ModelTask::lm;
  if (model.network->config().task == ModelTask::classify)
    throw Error(model_path, "a classifier scores no translations: nmt classify --scores gives its probabilities");
  if (language_model) {
    if (!source_path.empty() || !target_path.empty())
      throw po::error(model_path + " is a language model: give its text with -i, not --src/--tgt");
    if (text_path.empty()) throw po::error("the option '--input' is required with a language model");
    source_path = text_path;  // what progress and messages name
  } else {
    if (!text_path.empty())
      throw po::error(model_path + " is a translation model: give --src and --tgt, not -i");
    if (source_path.empty()) throw po::error("the option '--src' is required but missing");
    if (target_path.empty()) throw po::error("the option '--tgt' is required but missing");
  }
  Scorer scorer(*model.network);
  std::optional<ParallelLineReader> files;
  std::optional<LineReader> text;
  if (language_model) text.emplace(text_path);
  else files.emplace(source_path, target_path);
  LineWriter writer(output);
  ProgressLine progress("score", lines_in(source_path), "lines");
  progress.set_quiet(quiet);

  std::string source_line, target_line;
  std::int64_t line = 0;
  std::set<std::int64_t> too_long;  // lines (from 0) of this chunk's pairs left unscored
  double total_log_probability = 0, total_tokens = 0, total_characters = 0;  // a language model's text
  const auto read = [&](SentencePair& pair) {
    if (language_model) {
      if (!text->next(target_line)) return false;
      require_utf8(target_line, text->name(), text->line_number());
      pair = {{}, model.target_vocab.encode_ids(target_line)};
    } else {
      if (!files->next(source_line, target_line)) return false;
      pair = {model.source_vocab.encode_ids(source_line), model.target_vocab.encode_ids(target_line)};
    }
    const std::size_t longest = std::max(pair.source.size(), pair.target.size());
    if (longest > static_cast<std::size_t>(max_length)) {
      // Its activations grow with the length (attention with its square): a
      // stray huge line must not take the machine's memory.
      spdlog::warn("{}:{}: {} subwords, over --max-length {}: not scored (nan)",
                   pair.source.size() >= pair.target.size() ? source_path : target_path, line + 1, longest,
                   max_length);
      too_long.insert(line);
      pair = {};
    } else if (language_model) {  // its characters, one more for the line's end
      total_characters += static_cast<double>(eval::python_len(target_line) + 1);
    }
    ++line;
    return true;
  };
  const auto score = [&](const std::vector<SentencePair>& pairs, std::int64_t first) {
    char number[64];
    const auto values = scorer.score_ids(pairs, batch);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const bool skipped = too_long.erase(first + static_cast<std::int64_t>(i)) != 0;
      const double value = skipped ? NAN : static_cast<double>(values[i]);
      if (language_model) {
        // Per token: the line's subwords and its </s>.
        const double tokens = static_cast<double>(pairs[i].target.size() + 1);
        std::snprintf(number, sizeof number, "%.4f\t%.4f", value, std::exp(-value / tokens));
        if (!skipped) total_log_probability += value, total_tokens += tokens;
      } else {
        std::snprintf(number, sizeof number, "%.4f", value);
      }
      writer.write(number);
    }
  };
  stream_in_chunks<SentencePair>(static_cast<std::size_t>(batch.sentences) * chunk_batches, read, score, writer,
                                 progress);
  if (language_model && total_tokens > 0)
    spdlog::info("{}: {} lines, perplexity {:.3f} per token, {:.3f} bits per character", text_path, line,
                 std::exp(-total_log_probability / total_tokens),
                 -total_log_probability / std::log(2.0) / total_characters);
  return 0;
}

}  // namespace nmt::cli
