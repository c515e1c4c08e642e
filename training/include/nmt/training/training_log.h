#pragma once
// The machine-readable training log (`nmt train --log-json FILE`): one JSON
// object per line, one per progress line and one per validation, so learning
// curves can be drawn (scripts/plot_training.py) or a run watched by a script
// without parsing the human log. A resumed run appends to the same file.

#include <cstdint>
#include <fstream>
#include <string>

namespace nmt {

struct ProgressRecord {
  std::int64_t step = 0, epoch = 0;  // epoch counts from 1, as the progress line shows it
  double loss = 0;                   // per target token, with label smoothing
  double perplexity = 0;             // exp of the cross-entropy per target token
  double learning_rate = 0, gradient_norm = 0;
  double target_tokens_per_second = 0;
  double elapsed_seconds = 0;        // training time over all runs of this model
};

struct ValidationRecord {
  std::int64_t step = 0, epoch = 0;
  double perplexity = 0, bleu = 0;
  bool best = false;                 // the model was saved as the best so far
  double learning_rate = 0;
  double elapsed_seconds = 0;
};

class TrainingLog {
 public:
  TrainingLog() = default;  // writes nothing
  // Appends to path; throws nmt::Error naming it when it cannot be opened.
  explicit TrainingLog(const std::string& path);

  void write(const ProgressRecord& record);
  void write(const ValidationRecord& record);

 private:
  void write_line(const std::string& json);
  std::string path_;
  std::ofstream out_;
};

}  // namespace nmt
