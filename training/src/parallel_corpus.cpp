#include "nmt/training/parallel_corpus.h"

#include "nmt/core/error.h"
#include "nmt/core/text_file.h"

namespace nmt {

ParallelCorpus load_parallel_corpus(const std::string& source_path, const std::string& target_path,
                                    const SubwordModel& source_model,
                                    const SubwordModel& target_model, const CorpusFilter& filter) {
  ParallelLineReader files(source_path, target_path);
  ParallelCorpus corpus;
  std::string source_line, target_line;
  while (files.next(source_line, target_line)) {
    ++corpus.stats.lines;

    SentencePair pair{source_model.encode_ids(source_line), target_model.encode_ids(target_line)};
    if (pair.source.empty() || pair.target.empty()) {
      ++corpus.stats.dropped_empty;
      continue;
    }
    if (static_cast<int>(pair.source.size()) > filter.max_source_length ||
        static_cast<int>(pair.target.size()) > filter.max_target_length) {
      ++corpus.stats.dropped_too_long;
      continue;
    }
    corpus.stats.source_tokens += pair.source.size();
    corpus.stats.target_tokens += pair.target.size();
    corpus.pairs.push_back(std::move(pair));
  }
  corpus.stats.kept = corpus.pairs.size();
  if (corpus.pairs.empty())
    throw Error(files.source().name(), "no usable sentence pairs (" + std::to_string(corpus.stats.lines) +
                                   " lines; all empty or over the length limits)");
  return corpus;
}

ParallelCorpus load_text_corpus(const std::string& path, const SubwordModel& model, const CorpusFilter& filter) {
  LineReader file(path);
  ParallelCorpus corpus;
  std::string line;
  while (file.next(line)) {
    ++corpus.stats.lines;
    require_utf8(line, file.name(), file.line_number());
    SentencePair pair{{}, model.encode_ids(line)};
    if (pair.target.empty()) {
      ++corpus.stats.dropped_empty;
      continue;
    }
    if (static_cast<int>(pair.target.size()) > filter.max_target_length) {
      ++corpus.stats.dropped_too_long;
      continue;
    }
    corpus.stats.target_tokens += pair.target.size();
    corpus.pairs.push_back(std::move(pair));
  }
  corpus.stats.kept = corpus.pairs.size();
  if (corpus.pairs.empty())
    throw Error(path, "no usable lines (" + std::to_string(corpus.stats.lines) +
                          " lines; all empty or over the length limit)");
  return corpus;
}

}  // namespace nmt
