#include "nmt/model/translation_model.h"

namespace nmt {

void TranslationModel::write(ModelFileWriter& file) const {
  file.add("config", network->config().to_json());
  file.add("spm/source", source_vocab.to_bytes());
  file.add("spm/target", target_vocab.to_bytes());
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
  TranslationModel model{SubwordModel::from_bytes(file.section("spm/source"), file.name() + " (source vocabulary)"),
                         SubwordModel::from_bytes(file.section("spm/target"), file.name() + " (target vocabulary)"),
                         std::make_unique<Seq2SeqModel>(dnn, config)};
  model.network->load_weights(file);
  return model;
}

}  // namespace nmt
