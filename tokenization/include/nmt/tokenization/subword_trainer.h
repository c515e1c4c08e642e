#pragma once
// Training SentencePiece subword models on text files.

#include <string>
#include <vector>

namespace nmt {

struct SubwordTrainingOptions {
  std::vector<std::string> inputs;     // text files, one sentence per line
  int vocab_size = 8000;
  std::string model_type = "unigram";  // unigram | bpe | char | word
  double character_coverage = 0.9995;  // 1.0 for small alphabets, 0.9995 for CJK-rich text
  int max_sentence_length = 4192;      // in bytes; longer lines are skipped by SentencePiece
  int input_sentence_size = 1000000;   // lines sampled for training; 0 = all
  bool hard_vocab_limit = true;        // false: vocab_size becomes an upper bound
  int threads = 0;                     // 0 = all cores
  bool verbose = false;                // SentencePiece's own training log
};

// Trains a model on the inputs and returns its serialized bytes (a .model file).
// Input lines are checked for UTF-8 first, so a bad file is named with its line.
// Throws nmt::Error with SentencePiece's reason when training fails.
std::string train_subword_model(const SubwordTrainingOptions& options);

}  // namespace nmt
