#pragma once
// A parallel corpus in memory as subword ids: line-aligned source and target
// files, encoded with their SentencePiece models and filtered by length (or,
// for a language model, one text file as targets).

#include <cstddef>
#include <string>
#include <vector>

#include "nmt/model/batching.h"
#include "nmt/tokenization/subword_model.h"

namespace nmt {

struct CorpusFilter {
  int max_source_length = 100;  // in subwords; longer pairs are dropped
  int max_target_length = 100;
};

struct CorpusStats {
  std::size_t lines = 0;
  std::size_t kept = 0;
  std::size_t dropped_empty = 0;     // either side empty
  std::size_t dropped_too_long = 0;  // either side over its maximum
  std::size_t source_tokens = 0;     // over the kept pairs
  std::size_t target_tokens = 0;
};

struct ParallelCorpus {
  std::vector<SentencePair> pairs;
  CorpusStats stats;
};

// Reads both files in step. Throws nmt::Error when their line counts differ
// (naming both files and both counts) or a line is not UTF-8 (file:line).
ParallelCorpus load_parallel_corpus(const std::string& source_path, const std::string& target_path,
                                    const SubwordModel& source_model,
                                    const SubwordModel& target_model, const CorpusFilter& filter);

// A language model's text: one sentence per line, as pairs with an empty
// source and the line as target; empty lines and lines over
// max_target_length are dropped. Throws nmt::Error (file:line) on a line
// that is not UTF-8.
ParallelCorpus load_text_corpus(const std::string& path, const SubwordModel& model, const CorpusFilter& filter);

// A classifier's sentences and their labels (line-aligned; a label is its
// line without surrounding spaces), as pairs whose target is the label's
// index in labels. Empty sentences and those over max_source_length are
// dropped. Throws nmt::Error naming file and line for a label not in labels.
ParallelCorpus load_labelled_corpus(const std::string& text_path, const std::string& labels_path,
                                    const SubwordModel& model, const std::vector<std::string>& labels,
                                    const CorpusFilter& filter);

// The sorted distinct labels of a labels file (one per line, surrounding
// spaces ignored). Throws nmt::Error for an empty label (file:line).
std::vector<std::string> read_label_set(const std::string& path);

}  // namespace nmt
