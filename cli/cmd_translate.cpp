// `nmt translate`: translate a file (or stdin) line by line with a trained model.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "chunked_stream.h"
#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/precision.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/decoder/search/length_normalization.h"
#include "nmt/model/translator.h"
#include "options.h"

namespace nmt::cli {

namespace {

std::string format_score(float value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", static_cast<double>(value));
  return text;
}

// Marian's --alignment layouts, one entry per output subword t and the final
// </s> (t = number of output subwords), source positions s counting the
// source's subwords in its own order:
//   hard: "s-t" pairs, s the position t attends to most (the first of equal
//         weights), sorted by s, then t;
//   soft: per t, its weights over every source position, comma-separated
//         (printed as %g), entries space-separated.
std::string format_alignment(const std::vector<std::vector<float>>& attention, bool soft) {
  std::string text;
  if (soft) {
    char number[32];
    for (const auto& weights : attention) {
      if (!text.empty()) text += ' ';
      for (std::size_t s = 0; s < weights.size(); ++s) {
        std::snprintf(number, sizeof number, s == 0 ? "%g" : ",%g", static_cast<double>(weights[s]));
        text += number;
      }
    }
    return text;
  }
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (s, t)
  for (std::size_t t = 0; t < attention.size(); ++t) {
    const auto& weights = attention[t];
    if (weights.empty()) continue;
    pairs.emplace_back(static_cast<std::size_t>(std::max_element(weights.begin(), weights.end()) - weights.begin()),
                       t);
  }
  std::sort(pairs.begin(), pairs.end());
  for (const auto& [s, t] : pairs) {
    if (!text.empty()) text += ' ';
    text += std::to_string(s) + "-" + std::to_string(t);
  }
  return text;
}

// How each translation is written: one line per input line, the translation,
// or "LOGPROB ||| translation" with --scores. n-best, in the Moses/Marian
// layout "INDEX ||| translation ||| F0= LOGPROB ||| SCORE": INDEX the 0-based
// input line, F0 the model's log-probability (Marian's name for the first
// model's feature), SCORE what the beam ranked by. --alignment adds
// " ||| ALIGNMENT" after the translation, as Marian does.
struct OutputFormat {
  bool n_best = false, scores = false;
  std::string alignment;  // "", "hard" or "soft"
};

void write_translations(const std::vector<std::vector<Translation>>& results, std::int64_t first_index,
                        const OutputFormat& format, LineWriter& writer) {
  const auto text = [&](const Translation& translation) {
    if (format.alignment.empty()) return translation.text;
    return translation.text + " ||| " + format_alignment(translation.attention, format.alignment == "soft");
  };
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!format.n_best) {
      const Translation& best = results[i].front();
      writer.write(format.scores ? format_score(best.log_probability) + " ||| " + text(best) : text(best));
      continue;
    }
    for (const Translation& translation : results[i]) {
      writer.write(std::to_string(first_index + static_cast<std::int64_t>(i)) + " ||| " + text(translation) +
                   " ||| F0= " + format_score(translation.log_probability) + " ||| " +
                   format_score(translation.score));
    }
  }
}

}  // namespace

int run_translate(const Args& args) {
  const CommandSpec spec{"translate", "nmt translate -m MODEL [-i FILE] [-o FILE] [options]",
                         "Translates one sentence per line, keeping line count and order (an empty line\n"
                         "gives an empty line). Reads and writes in chunks, so files of any size stream\n"
                         "through in bounded memory. --scores prefixes each translation with its\n"
                         "log-probability (\"LOGPROB ||| translation\", as nmt score computes it);\n"
                         "--n-best N writes \"INDEX ||| translation ||| F0= LOGPROB ||| SCORE\" lines\n"
                         "instead (Moses/Marian layout), best first, INDEX counting input lines from 0\n"
                         "and SCORE the length-normalized score the beam ranked by. --alignment (models\n"
                         "with attention) adds \" ||| ALIGNMENT\" after each translation, Marian's layout:\n"
                         "per output subword and the final </s>, hard \"s-t\" pairs (the source subword\n"
                         "attended to most) or soft weights over the source subwords."};
  std::string model_path, input, output, length_penalty, shortlist_path, precision;
  DecodingOptions decoding;
  BatchLimits batch;
  OutputFormat format;
  int threads = 0, chunk_batches = 20, n_best = 0;
  bool quiet = false, strict = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "model from nmt train")
      ("input,i", po::value(&input)->default_value("-")->value_name("FILE"), "source text (- = stdin)")
      ("output,o", po::value(&output)->default_value("-")->value_name("FILE"), "translations (- = stdout)")
      ("beam-size,b", po::value(&decoding.beam_size)->default_value(1), "beam size (1 = greedy search)")
      ("length-penalty", choice(&length_penalty, "length-penalty", {"wu", "avg", "none"})->default_value("wu"),
       "rank beam hypotheses by: wu (log-probability / ((5 + length) / 6)^ALPHA, GNMT's), "
       "avg (log-probability per token) or none (log-probability)")
      ("alpha", po::value(&decoding.alpha)->default_value(decoding.alpha, "0.6"),
       "ALPHA of --length-penalty wu (0 = no normalization)")
      ("n-best", po::value(&n_best)->default_value(0),
       "write the N best translations of each line (N <= beam size; 0 = just the best)")
      ("scores", po::bool_switch(&format.scores), "write each translation's log-probability")
      ("alignment", choice(&format.alignment, "alignment", {"hard", "soft"})->implicit_value("hard"),
       "write the source subword each output subword attends to most (hard, the default), or its "
       "attention weights (soft); needs a model with attention")
      ("max-length-ratio", po::value(&decoding.max_length_ratio)->default_value(2.0f, "2"),
       "longest output: ratio * source length + 5 subwords ...")
      ("max-length", po::value(&decoding.max_length)->default_value(decoding.max_length), "... and at most this many")
      ("batch-size", po::value(&batch.sentences)->default_value(batch.sentences), "sentences per search batch ...")
      ("batch-tokens", po::value(&batch.tokens)->default_value(0),
       "... and at most this many source subwords per batch (0 = no limit)")
      ("max-input-length", po::value(&decoding.max_input_length)->default_value(1024),
       "cut longer lines to this many subwords, with a warning (0 = no limit)")
      ("strict", po::bool_switch(&strict),
       "stop at a line that is not valid UTF-8 (default: warn and translate it with the bad bytes replaced)")
      ("shortlist", po::value(&shortlist_path)->value_name("FILE"),
       "score only the target subwords nmt shortlist lists for each batch's source subwords (faster)")
      ("precision", choice(&precision, "precision", {"f32", "bf16", "int8", "auto"})->default_value("f32"),
       "arithmetic of the search: f32 (exact); bf16 inputs and weights with f32 accumulation (CPUs with "
       "AVX512-BF16 or AMX); int8 weights and inputs for the LSTM layers and the output projection (faster on "
       "CPUs with VNNI); auto: bf16 where the CPU has it, f32 elsewhere. BLEU within a few tenths of f32")
      ("threads", po::value(&threads)->default_value(0), "threads (0 = all cores)")
      ("quiet", po::bool_switch(&quiet), "no progress on stderr");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  require_at_least(batch.sentences, 1, "batch-size");
  require_at_least(batch.tokens, 0, "batch-tokens");
  require_at_least(n_best, 0, "n-best");
  require_option(std::isfinite(decoding.alpha) && decoding.alpha >= 0, "alpha", "a number >= 0", decoding.alpha);
  require_option(std::isfinite(decoding.max_length_ratio) && decoding.max_length_ratio > 0, "max-length-ratio",
                 "a number > 0", decoding.max_length_ratio);
  require_at_least(decoding.max_length, 1, "max-length");
  require_at_least(decoding.max_input_length, 0, "max-input-length");
  require_threads(threads);
  refuse_same_file(input, "input", output, "output");
  decoding.length_normalization = parse_length_normalization(length_penalty);
  decoding.n_best = std::max(n_best, 1);
  decoding.attention_history = !format.alignment.empty();
  format.n_best = n_best > 0;
  // The one check of the options (decode() runs it too), here so that bad ones
  // are bad usage, refused before the model loads.
  try {
    validate(decoding);
  } catch (const Error& e) {
    throw po::error(e.what());
  }

  const Precision arithmetic = parse_precision(precision);  // bf16 where the CPU lacks it: refused here
  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  auto model = TranslationModel::load(dnn, model_path);
  if (model.network->config().task == ModelTask::lm)
    throw Error(model_path, "a language model translates nothing: nmt generate writes text with it");
  if (model.network->config().task == ModelTask::classify)
    throw Error(model_path, "a classifier translates nothing: nmt classify labels text with it");
  if (decoding.attention_history && !model.network->config().attention)
    throw po::error("--alignment needs a model with attention; " + model_path + " has none");
  if (arithmetic == Precision::int8) model.network->quantize_for_inference();
  dnn.use_bf16(arithmetic == Precision::bf16);
  Translator translator(model);
  std::optional<Shortlist> shortlist;
  if (!shortlist_path.empty()) {
    shortlist = Shortlist::load(shortlist_path, model.source_vocab.vocab_size(), model.target_vocab.vocab_size());
    translator.set_shortlist(&*shortlist);
  }
  LineReader reader(input);
  LineWriter writer(output);
  ProgressLine progress("translate", lines_in(input), "lines");
  progress.set_quiet(quiet);

  const auto read = [&](std::string& line) {
    if (!reader.next(line)) return false;
    if (strict) require_utf8(line, reader.name(), reader.line_number());
    if (find_invalid_utf8(line) != std::string::npos) {
      spdlog::warn("{}:{}: invalid UTF-8, translating with the bad bytes replaced", reader.name(),
                   reader.line_number());
      line = replace_invalid_utf8(line);
    }
    return true;
  };
  std::vector<std::size_t> cut_lines;
  const auto translate = [&](const std::vector<std::string>& lines, std::int64_t first) {
    cut_lines.clear();
    write_translations(translator.translate_n_best(lines, decoding, batch, &cut_lines), first, format, writer);
    for (const std::size_t i : cut_lines)
      spdlog::warn("{}:{}: longer than --max-input-length {} subwords, translated its beginning", reader.name(),
                   first + static_cast<std::int64_t>(i) + 1, decoding.max_input_length);
  };
  stream_in_chunks<std::string>(static_cast<std::size_t>(batch.sentences) * chunk_batches, read, translate, writer,
                                progress);
  return 0;
}

}  // namespace nmt::cli
