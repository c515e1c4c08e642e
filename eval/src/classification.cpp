#include "nmt/eval/classification.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>

#include "nmt/core/error.h"

namespace nmt::eval {

namespace {

double ratio(std::int64_t a, std::int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }

}  // namespace

std::string label_of(std::string_view line) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  return std::string(line.substr(first, line.find_last_not_of(" \t") - first + 1));
}

ClassificationReport classification_report(const std::vector<std::string>& references,
                                           const std::vector<std::string>& predictions) {
  if (references.size() != predictions.size())
    throw Error(std::to_string(references.size()) + " reference labels but " + std::to_string(predictions.size()) +
                " predictions: the files must be line-aligned");
  if (references.empty()) throw Error("no labels to score");
  std::map<std::string, std::size_t> index;
  for (const auto* side : {&references, &predictions})
    for (const auto& label : *side) index.emplace(label, 0);
  ClassificationReport report;
  for (auto& [label, i] : index) {
    i = report.classes.size();
    report.classes.push_back({label});
  }
  const std::size_t n = report.classes.size();
  report.confusion.assign(n, std::vector<std::int64_t>(n, 0));
  for (std::size_t k = 0; k < references.size(); ++k)
    ++report.confusion[index[references[k]]][index[predictions[k]]];
  report.total = static_cast<std::int64_t>(references.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto& c = report.classes[i];
    for (std::size_t j = 0; j < n; ++j) {
      c.support += report.confusion[i][j];
      c.predicted += report.confusion[j][i];
    }
    const std::int64_t hits = report.confusion[i][i];
    report.correct += hits;
    c.precision = ratio(hits, c.predicted);
    c.recall = ratio(hits, c.support);
    c.f1 = c.precision + c.recall > 0 ? 2 * c.precision * c.recall / (c.precision + c.recall) : 0.0;
    report.macro_precision += c.precision / static_cast<double>(n);
    report.macro_recall += c.recall / static_cast<double>(n);
    report.macro_f1 += c.f1 / static_cast<double>(n);
    const double weight = ratio(c.support, report.total);
    report.weighted_precision += weight * c.precision;
    report.weighted_recall += weight * c.recall;
    report.weighted_f1 += weight * c.f1;
  }
  report.accuracy = ratio(report.correct, report.total);
  return report;
}

std::string ClassificationReport::to_text() const {
  std::size_t width = std::string("weighted avg").size();
  for (const auto& c : classes) width = std::max(width, c.label.size());
  const int w = static_cast<int>(width);
  std::ostringstream out;
  out << std::fixed << std::setprecision(4);
  out << "accuracy " << accuracy << " (" << correct << " of " << total << ")\n\n";
  out << std::setw(w) << "" << "  " << std::setw(9) << "precision" << "  " << std::setw(9) << "recall" << "  "
      << std::setw(9) << "f1" << "  " << std::setw(8) << "support" << "\n";
  const auto row = [&](const std::string& label, double p, double r, double f, std::int64_t support) {
    out << std::left << std::setw(w) << label << std::right << "  " << std::setw(9) << p << "  " << std::setw(9) << r
        << "  " << std::setw(9) << f << "  " << std::setw(8) << support << "\n";
  };
  for (const auto& c : classes) row(c.label, c.precision, c.recall, c.f1, c.support);
  row("macro avg", macro_precision, macro_recall, macro_f1, total);
  row("weighted avg", weighted_precision, weighted_recall, weighted_f1, total);
  out << "\nconfusion matrix (rows: reference, columns: predicted)\n";
  std::size_t cell = 1;
  for (const auto& counts : confusion)
    for (const auto count : counts) cell = std::max(cell, std::to_string(count).size());
  for (const auto& c : classes) cell = std::max(cell, c.label.size());
  const int cw = static_cast<int>(cell);
  out << std::setw(w) << "";
  for (const auto& c : classes) out << "  " << std::setw(cw) << c.label;
  out << "\n";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    out << std::left << std::setw(w) << classes[i].label << std::right;
    for (const auto count : confusion[i]) out << "  " << std::setw(cw) << count;
    out << "\n";
  }
  return out.str();
}

std::string ClassificationReport::to_json() const {
  nlohmann::json json = {{"accuracy", accuracy}, {"correct", correct}, {"total", total}};
  json["classes"] = nlohmann::json::array();
  for (const auto& c : classes)
    json["classes"].push_back({{"label", c.label},
                               {"precision", c.precision},
                               {"recall", c.recall},
                               {"f1", c.f1},
                               {"support", c.support},
                               {"predicted", c.predicted}});
  json["macro_avg"] = {{"precision", macro_precision}, {"recall", macro_recall}, {"f1", macro_f1}};
  json["weighted_avg"] = {{"precision", weighted_precision}, {"recall", weighted_recall}, {"f1", weighted_f1}};
  std::vector<std::string> labels;
  for (const auto& c : classes) labels.push_back(c.label);
  json["confusion"] = {{"labels", labels}, {"matrix", confusion}};
  return json.dump(2) + "\n";
}

}  // namespace nmt::eval
