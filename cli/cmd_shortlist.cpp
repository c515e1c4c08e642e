// `nmt shortlist`: a lexical shortlist for faster translation (nmt translate
// --shortlist), from a parallel corpus and a model's vocabularies.

#include <spdlog/spdlog.h>

#include "chunked_stream.h"
#include "commands.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/decoder/shortlist.h"
#include "nmt/model/translation_model.h"
#include "options.h"

namespace nmt::cli {

int run_shortlist(const Args& args) {
  const CommandSpec spec{
      "shortlist", "nmt shortlist -m MODEL --src FILE --tgt FILE -o SHORTLIST [--best N] [--frequent N]",
      "Writes a lexical shortlist for nmt translate --shortlist, as Marian's: for each\n"
      "source subword the --best target subwords that occur with it most strongly in\n"
      "the parallel corpus (Dice coefficient over line pairs), plus the --frequent most\n"
      "frequent target subwords. Translating a batch then scores only the candidates\n"
      "of its source subwords instead of the whole target vocabulary. Use the training\n"
      "corpus; the model gives the subword vocabularies (the shortlist fits models that\n"
      "share them)."};
  std::string model_path, source_path, target_path, output;
  ShortlistOptions options;
  bool quiet = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "model whose vocabularies to use")
      ("src", po::value(&source_path)->required()->value_name("FILE"), "source side of the corpus (- = stdin)")
      ("tgt", po::value(&target_path)->required()->value_name("FILE"), "target side, line-aligned")
      ("output,o", po::value(&output)->required()->value_name("FILE"), "the shortlist")
      ("best", po::value(&options.best)->default_value(options.best), "target subwords kept per source subword")
      ("frequent", po::value(&options.frequent)->default_value(options.frequent),
       "most frequent target subwords, always candidates")
      ("quiet", po::bool_switch(&quiet), "no progress on stderr");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  require_at_least(options.best, 1, "best");
  require_at_least(options.frequent, 0, "frequent");
  refuse_same_file(source_path, "src", output, "output");
  refuse_same_file(target_path, "tgt", output, "output");

  DnnContext dnn;
  const auto model = TranslationModel::load(dnn, model_path);
  if (model.network->config().task != ModelTask::translation)
    throw Error(model_path, "not a translation model: it has no target words to list for source words");
  Shortlist::Builder builder(model.source_vocab.vocab_size(), model.target_vocab.vocab_size());
  ParallelLineReader files(source_path, target_path);
  ProgressLine progress("shortlist", lines_in(source_path), "lines");
  progress.set_quiet(quiet);
  std::string source, target;
  std::int64_t lines = 0;
  while (files.next(source, target)) {
    builder.add(model.source_vocab.encode_ids(source), model.target_vocab.encode_ids(target));
    progress.update(++lines);
  }
  progress.finish(lines);
  const auto shortlist = builder.finish(options);
  shortlist.save(output);
  std::size_t entries = 0;
  for (int s = 0; s < shortlist.source_vocab_size(); ++s) entries += shortlist.best(s).size();
  spdlog::info("wrote {}: {} frequent target subwords, {:.1f} per source subword on average", output,
               shortlist.frequent().size(), static_cast<double>(entries) / std::max(1, shortlist.source_vocab_size()));
  return 0;
}

}  // namespace nmt::cli
