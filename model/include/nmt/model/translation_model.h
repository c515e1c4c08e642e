#pragma once
// A self-contained translation model: configuration, both SentencePiece
// models and the weights in one file (see core/model_file.h for the container).
//
// Sections: "config" (JSON), "spm/source", "spm/target", "param/<name>", and
// for a classifier "labels" (a JSON list of its label names, in index order).

#include <memory>
#include <string>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/model_file.h"
#include "nmt/model/seq2seq_model.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

struct TranslationModel {
  SubwordModel source_vocab;
  SubwordModel target_vocab;
  std::unique_ptr<Seq2SeqModel> network;
  std::vector<std::string> labels = {};  // a classifier's, index order; empty otherwise

  // Everything but the weights' values: config and vocabularies (checkpoints add
  // optimizer and training state to the same writer).
  void write(ModelFileWriter& file) const;
  void save(const std::string& path) const;  // atomic, with checksum

  // Throws nmt::Error naming the file when it is missing, corrupt or truncated.
  static TranslationModel load(DnnContext& dnn, const std::string& path);
  static TranslationModel read(DnnContext& dnn, const ModelFileReader& file);
};

}  // namespace nmt
