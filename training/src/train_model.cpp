#include "nmt/training/train_model.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "nmt/tokenization/subword_trainer.h"

namespace nmt {

namespace {

std::pair<SubwordModel, SubwordModel> subword_models(const TrainingOptions& options, const NewModelOptions& fresh,
                                                     Distributed& ranks) {
  if (!fresh.source_vocab.empty() || !fresh.target_vocab.empty()) {
    if (fresh.source_vocab.empty() || fresh.target_vocab.empty())
      throw Error("give both --source-vocab and --target-vocab, or neither (a joint model is then trained)");
    return {SubwordModel::load(fresh.source_vocab), SubwordModel::load(fresh.target_vocab)};
  }
  const std::string path = options.model_path + ".spm.model";
  if (ranks.is_root() && !std::filesystem::exists(path)) {
    spdlog::info("training a joint SentencePiece model ({} pieces) on the training data", fresh.joint_vocab_size);
    SubwordTrainingOptions subword;
    // A language model has no source; a classifier's targets are labels.
    for (const auto& input : {options.train_source, options.train_target})
      if (!input.empty() && !(fresh.config.task == ModelTask::classify && input == options.train_target))
        subword.inputs.push_back(input);
    subword.vocab_size = fresh.joint_vocab_size;
    subword.hard_vocab_limit = false;  // a small corpus gets a smaller vocabulary, not an error
    write_file_atomically(path, train_subword_model(subword));
  }
  std::string written;
  ranks.broadcast(written);  // the other ranks read it once rank 0 has written it
  spdlog::info("subword model: {}", path);
  return {SubwordModel::load(path), SubwordModel::load(path)};
}

// "key: value" lines of an effective-configuration YAML (one key per option).
std::map<std::string, std::string> config_lines(const std::string& yaml) {
  std::map<std::string, std::string> lines;
  std::istringstream in(yaml);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(": ");
    if (colon != std::string::npos && line[0] != ' ' && line[0] != '-') lines[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return lines;
}

// A resumed run may change its limits and where it logs; anything else (the
// corpus, the recipe) changes what is trained, which the user should hear of.
void warn_about_changed_options(const ModelFileReader& checkpoint, const std::string& config_yaml) {
  if (!checkpoint.has("training/config") || config_yaml.empty()) return;
  static const std::set<std::string> may_change{"resume",   "max-epochs", "max-steps",       "max-minutes",
                                                "threads",  "log",        "log-json",        "display-seconds",
                                                "config",   "patience",   "checkpoint-minutes", "on-non-finite"};
  const auto before = config_lines(checkpoint.section("training/config"));
  std::string changed;
  for (const auto& [key, value] : config_lines(config_yaml)) {
    const auto found = before.find(key);
    if (may_change.count(key) || (found != before.end() && found->second == value)) continue;
    changed += (changed.empty() ? "" : ", ") + key + " " + value + " (was " +
               (found == before.end() ? std::string("not set") : found->second) + ")";
  }
  if (!changed.empty())
    spdlog::warn("resuming with options that differ from the run that wrote {}: {}", checkpoint.name(), changed);
}

}  // namespace

TrainingState train_model(DnnContext& dnn, const TrainingOptions& options, const NewModelOptions& fresh,
                          bool resume, Distributed& ranks) {
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
    warn_about_changed_options(*checkpoint, options.config_yaml);
    model = TranslationModel::read(dnn, *checkpoint);
  } else {
    auto [source, target] = subword_models(options, fresh, ranks);
    ModelConfig config = fresh.config;
    config.source_vocab_size = source.vocab_size();
    config.target_vocab_size = target.vocab_size();
    std::vector<std::string> labels;
    if (config.task == ModelTask::classify) {
      labels = read_label_set(options.train_target);
      if (labels.size() < 2)
        throw Error(options.train_target, "a classifier needs at least 2 different labels, found " +
                                              std::to_string(labels.size()));
      config.labels = static_cast<int>(labels.size());
    }
    model = TranslationModel{std::move(source), std::move(target), std::make_unique<Seq2SeqModel>(dnn, config),
                             std::move(labels)};
    model->network->initialize(options.seed);
  }
  const auto& c = model->network->config();
  if (c.task == ModelTask::classify) {
    std::string names;
    for (const auto& label : model->labels) names += (names.empty() ? "" : ", ") + label;
    spdlog::info("classifier: E={} H={} L={} dropout={} bidirectional-encoder={} pooling={} | vocab {} | {} labels "
                 "({}) | {} parameters",
                 c.embedding_size, c.hidden_size, c.layers, c.dropout, c.bidirectional_encoder,
                 enum_name(pooling_names(), c.pooling), c.source_vocab_size, c.labels, names,
                 model->network->parameter_count());
  } else if (c.task == ModelTask::lm) {
    spdlog::info("language model: E={} H={} L={} dropout={} tied={} | vocab {} | {} parameters", c.embedding_size,
                 c.hidden_size, c.layers, c.dropout, c.tied_embeddings, c.target_vocab_size,
                 model->network->parameter_count());
  } else {
    spdlog::info("model: E={} H={} L={} dropout={} tied={} reverse-source={} attention={} bidirectional-encoder={} | vocab {}/{} | {} parameters",
               c.embedding_size, c.hidden_size, c.layers, c.dropout, c.tied_embeddings, c.reverse_source,
               attention_name(c.attention), c.bidirectional_encoder,
               c.source_vocab_size, c.target_vocab_size, model->network->parameter_count());
  }
  Trainer trainer(options, *model, ranks);
  if (checkpoint) trainer.resume(*checkpoint);
  checkpoint.reset();  // its bytes are in the model and optimizer now
  return trainer.run();
}

}  // namespace nmt
