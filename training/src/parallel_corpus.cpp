#include "nmt/training/parallel_corpus.h"

#include "nmt/core/error.h"
#include "nmt/core/text_file.h"

namespace nmt {

ParallelCorpus load_parallel_corpus(const std::string& source_path, const std::string& target_path,
                                    const SubwordModel& source_model,
                                    const SubwordModel& target_model, const CorpusFilter& filter) {
  LineReader source(source_path);
  LineReader target(target_path);
  ParallelCorpus corpus;
  std::string source_line, target_line;
  while (true) {
    const bool has_source = source.next(source_line);
    const bool has_target = target.next(target_line);
    if (has_source != has_target) {
      const std::size_t source_lines = has_source ? count_lines_to_end(source) : source.line_number();
      const std::size_t target_lines = has_target ? count_lines_to_end(target) : target.line_number();
      throw Error(source.name() + " has " + std::to_string(source_lines) + " lines but " +
                  target.name() + " has " + std::to_string(target_lines) +
                  ": parallel files must be line-aligned");
    }
    if (!has_source) break;
    require_utf8(source_line, source.name(), source.line_number());
    require_utf8(target_line, target.name(), target.line_number());
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
    throw Error(source.name(), "no usable sentence pairs (" + std::to_string(corpus.stats.lines) +
                                   " lines; all empty or over the length limits)");
  return corpus;
}

}  // namespace nmt
