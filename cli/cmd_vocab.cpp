// `nmt vocab`: train SentencePiece subword models, one joint model or one per input.

#include <spdlog/spdlog.h>

#include <chrono>

#include "commands.h"
#include "nmt/core/atomic_file.h"
#include "nmt/tokenization/subword_model.h"
#include "nmt/tokenization/subword_trainer.h"
#include "options.h"

namespace nmt::cli {

namespace {

// Writes PREFIX.model and PREFIX.vocab (piece<TAB>score per line, in id order).
void save_model(const std::string& prefix, const std::string& model_bytes) {
  const auto model = SubwordModel::from_bytes(model_bytes, prefix + ".model");
  std::string vocab;
  for (int id = 0; id < model.vocab_size(); ++id)
    vocab += model.piece(id) + "\t" + std::to_string(model.score(id)) + "\n";
  write_file_atomically(prefix + ".model", model_bytes);
  write_file_atomically(prefix + ".vocab", vocab);
  spdlog::info("wrote {}.model ({} pieces) and {}.vocab", prefix, model.vocab_size(), prefix);
}

}  // namespace

int run_vocab(const Args& args) {
  const CommandSpec spec{
      "vocab", "nmt vocab --input FILE [FILE ...] --model-prefix PREFIX [options]",
      "Trains a SentencePiece subword model on the input text (one sentence per line).\n"
      "By default one joint model PREFIX.model is trained on all inputs; with --separate,\n"
      "one model per input: PREFIX.src.model and PREFIX.tgt.model for two inputs,\n"
      "PREFIX.1.model, PREFIX.2.model, ... otherwise. A .vocab file lists the pieces.\n"
      "Ids 0-3 are reserved: <pad>, <unk>, <s>, </s>."};
  SubwordTrainingOptions options;
  std::string prefix;
  bool separate = false;
  po::options_description desc("Options");
  desc.add_options()
      ("input", po::value(&options.inputs)->multitoken()->required()->value_name("FILE..."),
       "text files to train on")
      ("model-prefix", po::value(&prefix)->required()->value_name("PREFIX"),
       "output name: writes PREFIX.model and PREFIX.vocab")
      ("vocab-size", po::value(&options.vocab_size)->default_value(options.vocab_size),
       "number of pieces in the vocabulary")
      ("type", choice(&options.model_type, "type", {"unigram", "bpe", "char", "word"})->default_value(options.model_type),
       "subword model type")
      ("character-coverage",
       po::value(&options.character_coverage)->default_value(options.character_coverage, "0.9995"),
       "share of characters covered by the vocabulary (1.0 for small alphabets)")
      ("max-sentence-length",
       po::value(&options.max_sentence_length)->default_value(options.max_sentence_length),
       "longest line used for training, in bytes")
      ("input-sentence-size",
       po::value(&options.input_sentence_size)->default_value(options.input_sentence_size),
       "lines sampled for training (0 = all)")
      ("hard-vocab-limit",
       po::value(&options.hard_vocab_limit)->default_value(options.hard_vocab_limit, "true"),
       "fail when the text cannot fill --vocab-size (false: use it as an upper bound)")
      ("separate", po::bool_switch(&separate), "train one model per input file")
      ("threads", po::value(&options.threads)->default_value(0), "threads (0 = all cores)")
      ("verbose", po::bool_switch(&options.verbose), "show SentencePiece's training log");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  // Four pieces are taken by <unk>, <s>, </s> and <pad>.
  require_at_least(options.vocab_size, 5, "vocab-size");
  require_option(options.character_coverage > 0 && options.character_coverage <= 1, "character-coverage",
                 "in (0, 1]", options.character_coverage);
  require_at_least(static_cast<double>(options.max_sentence_length), 1, "max-sentence-length");
  require_at_least(static_cast<double>(options.input_sentence_size), 0, "input-sentence-size");
  require_threads(options.threads);

  const auto started = std::chrono::steady_clock::now();
  if (!separate) {
    spdlog::info("training a joint {} model ({} pieces) on {} file(s)", options.model_type,
                 options.vocab_size, options.inputs.size());
    save_model(prefix, train_subword_model(options));
  } else {
    const auto inputs = options.inputs;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string suffix = inputs.size() == 2 ? (i == 0 ? "src" : "tgt")
                                                    : std::to_string(i + 1);
      options.inputs = {inputs[i]};
      spdlog::info("training a {} model ({} pieces) on {}", options.model_type,
                   options.vocab_size, inputs[i]);
      save_model(prefix + "." + suffix, train_subword_model(options));
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("done in {:.1f} s", seconds);
  return 0;
}

}  // namespace nmt::cli
