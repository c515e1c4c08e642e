#include "nmt/training/parallel_corpus.h"

#include <map>
#include <set>

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

std::string trim_label(const std::string& line) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return line.substr(first, line.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> read_label_set(const std::string& path) {
  LineReader file(path);
  std::set<std::string> labels;
  std::string line;
  while (file.next(line)) {
    require_utf8(line, file.name(), file.line_number());
    const auto label = trim_label(line);
    if (label.empty()) throw Error(file.name() + ":" + std::to_string(file.line_number()) + ": an empty label");
    labels.insert(label);
  }
  return {labels.begin(), labels.end()};
}

ParallelCorpus load_labelled_corpus(const std::string& text_path, const std::string& labels_path,
                                    const SubwordModel& model, const std::vector<std::string>& labels,
                                    const CorpusFilter& filter) {
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < labels.size(); ++i) index[labels[i]] = static_cast<int>(i);
  ParallelLineReader files(text_path, labels_path);
  ParallelCorpus corpus;
  std::string text, label_line;
  while (files.next(text, label_line)) {
    ++corpus.stats.lines;
    const auto found = index.find(trim_label(label_line));
    if (found == index.end()) {
      std::string known;
      for (const auto& label : labels) known += (known.empty() ? "" : ", ") + label;
      throw Error(files.target().name() + ":" + std::to_string(files.target().line_number()) + ": label '" +
                  trim_label(label_line) + "' is not one of the model's " + std::to_string(labels.size()) +
                  " (" + known + ")");
    }
    SentencePair pair{model.encode_ids(text), {found->second}};
    if (pair.source.empty()) {
      ++corpus.stats.dropped_empty;
      continue;
    }
    if (static_cast<int>(pair.source.size()) > filter.max_source_length) {
      ++corpus.stats.dropped_too_long;
      continue;
    }
    corpus.stats.source_tokens += pair.source.size();
    corpus.stats.target_tokens += 1;
    corpus.pairs.push_back(std::move(pair));
  }
  corpus.stats.kept = corpus.pairs.size();
  if (corpus.pairs.empty())
    throw Error(text_path, "no usable sentences (" + std::to_string(corpus.stats.lines) +
                               " lines; all empty or over the length limit)");
  return corpus;
}

}  // namespace nmt
