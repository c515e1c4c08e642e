#include "nmt/model/translation_model.h"

#include <nlohmann/json.hpp>
#include <string>

#include "nmt/core/error.h"

namespace nmt {

void TranslationModel::write(ModelFileWriter& file) const {
  file.add("config", network->config().to_json());
  file.add("spm/source", source_vocab.to_bytes());
  file.add("spm/target", target_vocab.to_bytes());
  if (!labels.empty()) file.add("labels", nlohmann::json(labels).dump());
  network->save_weights(file);
}

void TranslationModel::save(const std::string& path) const {
  ModelFileWriter file;
  write(file);
  file.save(path);
}

TranslationModel TranslationModel::load(DnnContext& dnn, const std::string& path) {
  return read(dnn, ModelFileReader::load(path));
}

TranslationModel TranslationModel::read(DnnContext& dnn, const ModelFileReader& file) {
  const auto config = ModelConfig::from_json(file.section("config"), file.name());
  // The configuration must describe the weights the file holds, before the
  // model is built: a crafted "layers: 100000" must not allocate gigabytes.
  std::int64_t stored = 0;
  for (const auto& name : file.section_names()) {
    if (name.rfind("param/", 0) != 0) continue;
    std::int64_t count = 1;
    for (const auto dim : file.tensor_shape(name)) count *= dim;
    stored += count;
  }
  if (stored != config.parameter_count())
    throw Error(file.name(), "the model configuration declares " + std::to_string(config.parameter_count()) +
                                 " weights but the file holds " + std::to_string(stored));
  TranslationModel model{SubwordModel::from_bytes(file.section("spm/source"), file.name() + " (source vocabulary)"),
                         SubwordModel::from_bytes(file.section("spm/target"), file.name() + " (target vocabulary)"),
                         std::make_unique<Seq2SeqModel>(dnn, config)};
  // Ids from a vocabulary larger than the embedding would read out of bounds.
  if (model.source_vocab.vocab_size() != config.source_vocab_size ||
      model.target_vocab.vocab_size() != config.target_vocab_size)
    throw Error(file.name(), "the subword models have " + std::to_string(model.source_vocab.vocab_size()) + " and " +
                                 std::to_string(model.target_vocab.vocab_size()) + " pieces but the model " +
                                 std::to_string(config.source_vocab_size) + " and " +
                                 std::to_string(config.target_vocab_size));
  if (config.task == ModelTask::classify) {
    try {
      model.labels = nlohmann::json::parse(file.section("labels")).get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
      throw Error(file.name(), std::string("bad label list: ") + e.what());
    }
    if (static_cast<int>(model.labels.size()) != config.labels)
      throw Error(file.name(), "the model configuration declares " + std::to_string(config.labels) +
                                   " labels but the file names " + std::to_string(model.labels.size()));
  }
  model.network->load_weights(file);
  return model;
}

}  // namespace nmt
