// `nmt translate`: translate a file (or stdin) line by line with a trained model.

#include <spdlog/spdlog.h>

#include "commands.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/model/translator.h"
#include "options.h"

namespace nmt::cli {

int run_translate(const Args& args) {
  const CommandSpec spec{"translate", "nmt translate -m MODEL [-i FILE] [-o FILE] [options]",
                         "Translates one sentence per line, keeping line count and order (an empty line\n"
                         "gives an empty line). Reads and writes in chunks, so files of any size stream\n"
                         "through in bounded memory."};
  std::string model_path, input, output;
  DecodingOptions decoding;
  int batch_size = 64, threads = 0, chunk_batches = 20;
  bool quiet = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "model from nmt train")
      ("input,i", po::value(&input)->default_value("-")->value_name("FILE"), "source text (- = stdin)")
      ("output,o", po::value(&output)->default_value("-")->value_name("FILE"), "translations (- = stdout)")
      ("beam-size", po::value(&decoding.beam_size)->default_value(1), "beam size (1 = greedy search)")
      ("max-length-ratio", po::value(&decoding.max_length_ratio)->default_value(2.0f, "2"),
       "longest output: ratio * source length + 5 subwords ...")
      ("max-length", po::value(&decoding.max_length)->default_value(decoding.max_length), "... and at most this many")
      ("batch-size", po::value(&batch_size)->default_value(batch_size), "sentences per search batch")
      ("threads", po::value(&threads)->default_value(0), "threads (0 = all cores)")
      ("quiet", po::bool_switch(&quiet), "no progress on stderr");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  if (batch_size < 1) throw po::validation_error(po::validation_error::invalid_option_value, "batch-size");

  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  auto model = TranslationModel::load(dnn, model_path);
  Translator translator(model);
  LineReader reader(input);
  LineWriter writer(output);
  ProgressLine progress("translate", 0, "lines");
  progress.set_quiet(quiet);

  const std::size_t chunk = static_cast<std::size_t>(batch_size) * chunk_batches;
  std::vector<std::string> lines;
  std::string line;
  std::int64_t done = 0;
  bool more = true;
  while (more) {
    lines.clear();
    while (lines.size() < chunk && (more = reader.next(line))) {
      if (find_invalid_utf8(line) != std::string::npos) {
        spdlog::warn("{}:{}: invalid UTF-8, translating with the bad bytes replaced", reader.name(),
                     reader.line_number());
        line = replace_invalid_utf8(line);
      }
      lines.push_back(line);
    }
    for (const auto& translation : translator.translate(lines, decoding, batch_size)) writer.write(translation);
    writer.flush();
    done += static_cast<std::int64_t>(lines.size());
    progress.update(done);
  }
  progress.finish(done);
  return 0;
}

}  // namespace nmt::cli
