#pragma once
// How well labels were predicted: accuracy, per-class precision, recall and
// F1 (with their macro and support-weighted averages, as scikit-learn's
// classification_report gives them), and the confusion matrix. Labels are
// free strings; a class is any label seen in the references or predictions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nmt::eval {

struct ClassScores {
  std::string label;
  double precision = 0, recall = 0, f1 = 0;  // 0 where undefined (nothing predicted, or no reference)
  std::int64_t support = 0;                  // references with this label
  std::int64_t predicted = 0;                // predictions of this label
};

struct ClassificationReport {
  std::int64_t total = 0, correct = 0;
  double accuracy = 0;
  std::vector<ClassScores> classes;  // sorted by label
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0;
  double weighted_precision = 0, weighted_recall = 0, weighted_f1 = 0;
  // confusion[i][j]: references of classes[i] predicted as classes[j].
  std::vector<std::vector<std::int64_t>> confusion;

  std::string to_text() const;  // a table for people
  std::string to_json() const;  // every figure, for scripts
};

// The label a line holds: the line without the spaces or tabs around it.
std::string label_of(std::string_view line);

// Throws nmt::Error when the counts differ or there is nothing to score.
ClassificationReport classification_report(const std::vector<std::string>& references,
                                           const std::vector<std::string>& predictions);

}  // namespace nmt::eval
