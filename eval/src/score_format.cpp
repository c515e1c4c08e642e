#include "nmt/eval/score_format.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "nmt/eval/python_json.h"
#include "nmt/eval/python_text.h"

namespace nmt::eval {

namespace {

// "name:value|name:value" -> its fields in order.
std::vector<std::pair<std::string, std::string>> signature_fields(const std::string& signature) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::size_t start = 0;
  while (start < signature.size()) {
    std::size_t end = signature.find('|', start);
    if (end == std::string::npos) end = signature.size();
    const std::string field = signature.substr(start, end - start);
    const std::size_t colon = field.find(':');
    fields.emplace_back(field.substr(0, colon),
                        colon == std::string::npos ? "" : field.substr(colon + 1));
    start = end + 1;
  }
  return fields;
}

bool shows_confidence(const ScoreReport& report) {
  return report.confidence && report.confidence->mean > 0;
}

std::string confidence_text(const Confidence& confidence, int width) {
  return "μ = " + format_fixed(confidence.mean, width) + " ± " + format_fixed(confidence.ci, width);
}

// "32.1", or "32.1 (μ = 32.0 ± 1.2)" with a confidence interval.
std::string score_text(const ScoreReport& report, int width) {
  std::string text = format_fixed(report.score, width);
  if (shows_confidence(report)) text += " (" + confidence_text(*report.confidence, width) + ")";
  return text;
}

}  // namespace

std::string format_fixed(double value, int decimals) {
  const int size = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  std::string text(static_cast<std::size_t>(size), '\0');
  std::snprintf(text.data(), text.size() + 1, "%.*f", decimals, value);
  return text;
}

std::string format_score(const ScoreReport& report, int width, bool score_only,
                         const std::string& signature) {
  const std::string score = score_text(report, width);
  if (score_only) return score;
  std::string line = signature.empty() ? report.name : report.name + "|" + signature;
  line += " = " + score;
  if (!report.verbose.empty()) line += " " + report.verbose;
  return line;
}

std::string format_score_json(const ScoreReport& report, int width, const std::string& signature) {
  nlohmann::ordered_json out;
  out["name"] = report.name;
  out["score"] = std::stod(format_fixed(report.score, width));
  out["signature"] = signature;
  if (shows_confidence(report)) {
    out["confidence_mean"] = std::stod(format_fixed(report.confidence->mean, width));
    out["confidence_var"] = std::stod(format_fixed(report.confidence->ci, width));
    out["confidence"] = confidence_text(*report.confidence, width);
  }
  if (!report.verbose.empty()) out["verbose_score"] = report.verbose;
  for (const auto& [name, value] : signature_fields(signature)) out[name] = value;
  return python_json_dumps(out, 1, false);
}

std::string format_single_results(const std::vector<std::string>& results, bool json) {
  if (results.empty()) return "";
  if (json) {
    if (results.size() == 1) return results[0] + "\n";
    std::string out = "[\n";
    for (std::size_t i = 0; i < results.size(); ++i) out += results[i] + (i + 1 < results.size() ? ",\n" : "\n");
    return out + "]\n";
  }
  if (results.size() == 1) return results[0] + "\n";
  // sacreBLEU prints lines without '=' (scores only) at once and right-aligns
  // the text before the first '=' of the others to a common width.
  std::string out;
  std::vector<std::pair<std::size_t, const std::string*>> aligned;
  for (const auto& line : results) {
    const std::size_t equals = line.find('=');
    if (equals == std::string::npos || equals == 0) {
      out += line + "\n";
      continue;
    }
    aligned.emplace_back(python_len(line.substr(0, equals)) - 1, &line);
  }
  std::size_t width = 0;
  for (const auto& [left, line] : aligned) width = std::max(width, left);
  for (const auto& [left, line] : aligned)
    out += std::string(width - left, ' ') + *line + "\n";
  return out;
}

std::string short_signature(const std::string& signature) {
  static const std::map<std::string, std::string> kAbbreviations = {
      {"version", "v"}, {"nrefs", "#"}, {"test", "t"}, {"lang", "l"}, {"subset", "S"},
      {"origlang", "o"}, {"bs", "bs"}, {"ar", "ar"}, {"seed", "rs"}, {"case", "c"},
      {"eff", "e"}, {"tok", "tok"}, {"smooth", "s"}, {"nc", "nc"}, {"nw", "nw"}, {"space", "s"}};
  std::string out;
  for (const auto& [name, value] : signature_fields(signature)) {
    const auto abbreviation = kAbbreviations.find(name);
    out += (out.empty() ? "" : "|") +
           (abbreviation == kAbbreviations.end() ? name : abbreviation->second) + ":" + value;
  }
  return out;
}

}  // namespace nmt::eval
