#include "nmt/tokenization/subword_trainer.h"

#include <sentencepiece_trainer.h>

#include <thread>
#include <unordered_map>

#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

namespace {

// Feeds the non-empty lines of several files to SentencePiece, one after another.
class FileSentences : public sentencepiece::SentenceIterator {
 public:
  explicit FileSentences(const std::vector<std::string>& paths) : paths_(paths) { advance(); }

  bool done() const override { return file_index_ >= paths_.size(); }
  void Next() override { advance(); }
  const std::string& value() const override { return line_; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  void advance() {
    while (file_index_ < paths_.size()) {
      if (!reader_) reader_ = std::make_unique<LineReader>(paths_[file_index_]);
      while (reader_->next(line_)) {
        if (!line_.empty()) return;
      }
      reader_.reset();
      ++file_index_;
    }
  }

  const std::vector<std::string>& paths_;
  std::size_t file_index_ = 0;
  std::unique_ptr<LineReader> reader_;
  std::string line_;
};

// SentencePiece skips longer lines (its max_sentence_length, set explicitly).
constexpr std::size_t kMaxSentenceBytes = 4192;

// A first pass that names the file and line of bad input before SentencePiece sees it.
void check_inputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw Error("no input files given");
  std::size_t non_empty = 0, usable = 0;
  for (const auto& path : paths) {
    LineReader reader(path);
    std::string line;
    while (reader.next(line)) {
      require_utf8(line, reader.name(), reader.line_number());
      non_empty += !line.empty();
      usable += !line.empty() && line.size() <= kMaxSentenceBytes;
    }
  }
  if (non_empty == 0) throw Error(paths.front(), "no text to train on: the input files are empty");
  if (usable == 0)
    throw Error(paths.front(), "no text to train on: every line is longer than " + std::to_string(kMaxSentenceBytes) +
                                   " bytes (subword training skips such lines; one sentence per line is expected)");
}

// SentencePiece prefixes its messages with a source location and the failed
// check ("Internal: ./src/x.cc(660) [a == b] Vocabulary size too high ...");
// users need only the sentence at the end.
std::string reason(const sentencepiece::util::Status& status) {
  const std::string text = status.ToString();
  const auto bracket = text.rfind("] ");
  return bracket == std::string::npos ? text : text.substr(bracket + 2);
}

void check_model_type(const std::string& type) {
  if (type != "unigram" && type != "bpe" && type != "char" && type != "word")
    throw Error("unknown subword model type '" + type + "' (use unigram, bpe, char or word)");
}

}  // namespace

std::string train_subword_model(const SubwordTrainingOptions& options) {
  check_model_type(options.model_type);
  check_inputs(options.inputs);
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  const std::unordered_map<std::string, std::string> args = {
      {"model_type", options.model_type},
      {"vocab_size", std::to_string(options.vocab_size)},
      {"character_coverage", std::to_string(options.character_coverage)},
      {"max_sentence_length", std::to_string(options.max_sentence_length)},
      {"input_sentence_size", std::to_string(options.input_sentence_size)},
      {"shuffle_input_sentence", "true"},
      {"hard_vocab_limit", options.hard_vocab_limit ? "true" : "false"},
      {"num_threads", std::to_string(std::max(1, threads))},
      {"pad_id", std::to_string(kPadId)},
      {"unk_id", std::to_string(kUnkId)},
      {"bos_id", std::to_string(kBosId)},
      {"eos_id", std::to_string(kEosId)},
      {"minloglevel", options.verbose ? "0" : "1"},
      {"max_sentence_length", std::to_string(kMaxSentenceBytes)},
  };
  FileSentences sentences(options.inputs);
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(args, &sentences, &model);
  if (!status.ok()) throw Error(options.inputs.front(), "subword training failed: " + reason(status));
  return model;
}

}  // namespace nmt
