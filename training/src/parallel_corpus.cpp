#include "nmt/training/parallel_corpus.h"

#include <map>
#include <set>

#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/classification.h"

namespace nmt {

namespace {

// Adds pair to corpus unless a side it needs is empty or a side is over its
// limit (a language model's pairs have no source; a classifier's target is
// its label), counting what it drops and keeps.
void add_pair(ParallelCorpus& corpus, SentencePair&& pair, const CorpusFilter& filter, bool needs_source) {
  ++corpus.stats.lines;
  if ((needs_source && pair.source.empty()) || pair.target.empty()) {
    ++corpus.stats.dropped_empty;
    return;
  }
  if (static_cast<int>(pair.source.size()) > filter.max_source_length ||
      static_cast<int>(pair.target.size()) > filter.max_target_length) {
    ++corpus.stats.dropped_too_long;
    return;
  }
  corpus.stats.source_tokens += pair.source.size();
  corpus.stats.target_tokens += pair.target.size();
  corpus.pairs.push_back(std::move(pair));
}

// Throws nmt::Error naming path when nothing was kept; what: "sentence pairs", ...
ParallelCorpus finished(ParallelCorpus&& corpus, const std::string& path, const std::string& what,
                        const std::string& limits) {
  corpus.stats.kept = corpus.pairs.size();
  if (corpus.pairs.empty())
    throw Error(path, "no usable " + what + " (" + std::to_string(corpus.stats.lines) + " lines; all empty or over " +
                          limits + ")");
  return std::move(corpus);
}

}  // namespace

ParallelCorpus load_parallel_corpus(const std::string& source_path, const std::string& target_path,
                                    const SubwordModel& source_model,
                                    const SubwordModel& target_model, const CorpusFilter& filter) {
  ParallelLineReader files(source_path, target_path);
  ParallelCorpus corpus;
  std::string source_line, target_line;
  while (files.next(source_line, target_line))
    add_pair(corpus, {source_model.encode_ids(source_line), target_model.encode_ids(target_line)}, filter, true);
  return finished(std::move(corpus), files.source().name(), "sentence pairs", "the length limits");
}

ParallelCorpus load_text_corpus(const std::string& path, const SubwordModel& model, const CorpusFilter& filter) {
  LineReader file(path);
  ParallelCorpus corpus;
  std::string line;
  while (file.next(line)) {
    require_utf8(line, file.name(), file.line_number());
    add_pair(corpus, {{}, model.encode_ids(line)}, filter, false);
  }
  return finished(std::move(corpus), path, "lines", "the length limit");
}

std::vector<std::string> read_label_set(const std::string& path) {
  LineReader file(path);
  std::set<std::string> labels;
  std::string line;
  while (file.next(line)) {
    require_utf8(line, file.name(), file.line_number());
    const auto label = eval::label_of(line);
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
    const std::string label = eval::label_of(label_line);
    const auto found = index.find(label);
    if (found == index.end()) {
      std::string known;
      for (const auto& label : labels) known += (known.empty() ? "" : ", ") + label;
      throw Error(files.target().name() + ":" + std::to_string(files.target().line_number()) + ": label '" +
                  label + "' is not one of the model's " + std::to_string(labels.size()) +
                  " (" + known + ")");
    }
    add_pair(corpus, {model.encode_ids(text), {found->second}}, filter, true);
  }
  return finished(std::move(corpus), text_path, "sentences", "the length limit");
}

}  // namespace nmt
