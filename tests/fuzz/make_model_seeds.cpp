// Writes the seed corpus of fuzz_model_file: tiny but real model files, one per
// kind of architecture, with random weights and SentencePiece models trained
// on a few words. Identity normalization keeps each SentencePiece model a few
// hundred bytes (nmt train's NFKC rules add a 237 KB table the fuzzer would
// spend its time mutating). Run it when the model format changes:
//   fuzz_make_model_seeds tests/fuzz/corpus/fuzz_model_file

#include <sentencepiece_trainer.h>

#include <cstdio>
#include <string>
#include <vector>

#include "nmt/core/model_file.h"
#include "nmt/model/translation_model.h"
#include "nmt/tokenization/subword_model.h"

namespace {

class Sentences : public sentencepiece::SentenceIterator {
 public:
  explicit Sentences(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  bool done() const override { return index_ >= lines_.size(); }
  void Next() override { ++index_; }
  const std::string& value() const override { return lines_[index_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  std::vector<std::string> lines_;
  std::size_t index_ = 0;
};

std::string train_vocabulary(int size) {
  Sentences sentences({"a b c ab ba cab", "ab ab ba ca", "c b a abc"});
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(
      {{"model_type", "char"}, {"vocab_size", std::to_string(size)}, {"hard_vocab_limit", "false"},
       {"normalization_rule_name", "identity"}, {"character_coverage", "1.0"}, {"pad_id", "0"},
       {"unk_id", "1"}, {"bos_id", "2"}, {"eos_id", "3"}, {"minloglevel", "2"}, {"num_threads", "1"}},
      &sentences, &model);
  if (!status.ok()) {
    std::fprintf(stderr, "SentencePiece: %s\n", status.ToString().c_str());
    std::exit(1);
  }
  return model;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
    return 2;
  }
  nmt::DnnContext dnn;
  auto source = nmt::SubwordModel::from_bytes(train_vocabulary(8), "source");
  auto target = nmt::SubwordModel::from_bytes(train_vocabulary(8), "target");
  struct Kind {
    const char* name;
    const char* attention;
    int layers;
    bool bidirectional, tied;
  };
  for (const Kind& kind : {Kind{"plain", "none", 1, false, false}, Kind{"dot_2_layers", "dot", 2, false, false},
                           Kind{"general_bidirectional_tied", "general", 1, true, true}}) {
    nmt::ModelConfig config;
    config.source_vocab_size = source.vocab_size();
    config.target_vocab_size = target.vocab_size();
    config.embedding_size = 4;
    config.hidden_size = 4;
    config.layers = kind.layers;
    config.dropout = 0.0f;
    config.attention = nmt::parse_attention(kind.attention);
    config.bidirectional_encoder = kind.bidirectional;
    config.tied_embeddings = kind.tied;
    nmt::TranslationModel model{nmt::SubwordModel::from_bytes(source.to_bytes(), "source"),
                                nmt::SubwordModel::from_bytes(target.to_bytes(), "target"),
                                std::make_unique<nmt::Seq2SeqModel>(dnn, config)};
    model.network->initialize(7);
    const std::string path = std::string(argv[1]) + "/" + kind.name + ".nmt";
    model.save(path);
    std::printf("%s: %d + %d pieces, %lld weights\n", path.c_str(), config.source_vocab_size,
                config.target_vocab_size, static_cast<long long>(config.parameter_count()));
  }
  return 0;
}
