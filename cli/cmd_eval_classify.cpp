// `nmt eval-classify`: accuracy, per-class precision/recall/F1 and the
// confusion matrix of predicted labels against reference labels.

#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/classification.h"
#include "options.h"

namespace nmt::cli {

namespace {

std::vector<std::string> read_labels(const std::string& path) {
  auto lines = read_utf8_lines(path);
  for (auto& line : lines) line = eval::label_of(line);
  return lines;
}

}  // namespace

int run_eval_classify(const Args& args) {
  const CommandSpec spec{
      "eval-classify", "nmt eval-classify -r REFERENCE_LABELS [-i PREDICTED_LABELS] [--format text|json]",
      "Scores predicted labels (one per line, e.g. from nmt classify) against reference labels\n"
      "(line-aligned): accuracy, each class's precision, recall, F1 and support, their macro and\n"
      "support-weighted averages (scikit-learn's classification_report; 0 where a ratio is\n"
      "undefined), and the confusion matrix. Labels are free strings; spaces around them are\n"
      "ignored."};
  std::string reference, hypothesis = "-", format = "text";
  po::options_description desc("Options");
  desc.add_options()
      ("reference,r", po::value(&reference)->required()->value_name("FILE"), "reference labels")
      ("input,i", po::value(&hypothesis)->default_value(hypothesis)->value_name("FILE"), "predicted labels (- = stdin)")
      ("format", choice(&format, "format", {"text", "json"})->default_value(format), "text (a table) or json");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  const auto references = read_labels(reference);
  const auto predictions = read_labels(hypothesis);
  if (references.size() != predictions.size())
    throw Error(reference + " has " + std::to_string(references.size()) + " lines but " +
                (hypothesis == "-" ? std::string("standard input") : hypothesis) + " has " +
                std::to_string(predictions.size()) + ": the files must be line-aligned");
  if (references.empty()) throw Error(reference, "no labels to score (the file is empty)");
  const auto report = eval::classification_report(references, predictions);
  std::cout << (format == "json" ? report.to_json() : report.to_text());
  return 0;
}

}  // namespace nmt::cli
