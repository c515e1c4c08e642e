#include "nmt/training/train_model.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <optional>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "nmt/tokenization/subword_trainer.h"

namespace nmt {

namespace {

std::pair<SubwordModel, SubwordModel> subword_models(const TrainingOptions& options, const NewModelOptions& fresh) {
  if (!fresh.source_vocab.empty() || !fresh.target_vocab.empty()) {
    if (fresh.source_vocab.empty() || fresh.target_vocab.empty())
      throw Error("give both --source-vocab and --target-vocab, or neither (a joint model is then trained)");
    return {SubwordModel::load(fresh.source_vocab), SubwordModel::load(fresh.target_vocab)};
  }
  const std::string path = options.model_path + ".spm.model";
  if (!std::filesystem::exists(path)) {
    spdlog::info("training a joint SentencePiece model ({} pieces) on the training data", fresh.joint_vocab_size);
    SubwordTrainingOptions subword;
    subword.inputs = {options.train_source, options.train_target};
    subword.vocab_size = fresh.joint_vocab_size;
    subword.hard_vocab_limit = false;  // a small corpus gets a smaller vocabulary, not an error
    write_file_atomically(path, train_subword_model(subword));
  }
  spdlog::info("subword model: {}", path);
  return {SubwordModel::load(path), SubwordModel::load(path)};
}

}  // namespace

TrainingState train_model(DnnContext& dnn, const TrainingOptions& options, const NewModelOptions& fresh,
                          bool resume) {
  const CheckpointFiles files(options.model_path, options.keep_checkpoints);
  const bool exists = std::filesystem::exists(files.checkpoint());
  if (resume && !exists) throw Error(files.checkpoint(), "no checkpoint to resume from");
  if (!resume && exists)
    throw Error(files.checkpoint(), "a checkpoint of an earlier run exists: pass --resume to continue it, "
                                    "or remove it to start afresh");
  std::optional<ModelFileReader> checkpoint;
  std::optional<TranslationModel> model;
  if (resume) {
    checkpoint = ModelFileReader::load(files.checkpoint());
    model = TranslationModel::read(dnn, *checkpoint);
  } else {
    auto [source, target] = subword_models(options, fresh);
    ModelConfig config = fresh.config;
    config.source_vocab_size = source.vocab_size();
    config.target_vocab_size = target.vocab_size();
    model = TranslationModel{std::move(source), std::move(target), std::make_unique<Seq2SeqModel>(dnn, config)};
    model->network->initialize(options.seed);
  }
  const auto& c = model->network->config();
  spdlog::info("model: E={} H={} L={} dropout={} tied={} reverse-source={} attention={} bidirectional-encoder={} | vocab {}/{} | {} parameters",
               c.embedding_size, c.hidden_size, c.layers, c.dropout, c.tied_embeddings, c.reverse_source,
               attention_name(c.attention), c.bidirectional_encoder,
               c.source_vocab_size, c.target_vocab_size, model->network->parameter_count());
  Trainer trainer(options, *model);
  if (checkpoint) trainer.resume(*checkpoint);
  checkpoint.reset();  // its bytes are in the model and optimizer now
  return trainer.run();
}

}  // namespace nmt
