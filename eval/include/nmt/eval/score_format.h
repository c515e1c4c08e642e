#pragma once
// Scores printed the way sacreBLEU 2.4.3's command line prints one system's
// results (its Score.format and print_single_results), so that output can be
// compared byte for byte and parsed by the same scripts.

#include <optional>
#include <string>
#include <vector>

namespace nmt::eval {

// Python's f"{value:.{decimals}f}" (correctly rounded, like printf).
std::string format_fixed(double value, int decimals);

// Bootstrap estimate of a score's true mean and the half-width of its 95%
// confidence interval (sacreBLEU's --confidence).
struct Confidence {
  double mean = 0;
  double ci = 0;
};

// One metric's result as sacreBLEU's Score holds it.
struct ScoreReport {
  std::string name;     // "BLEU", "chrF2", ...
  double score = 0;
  std::string verbose;  // BLEU's "63.4/38.2/26.0/18.3 (BP = ...)"; empty for chrF
  std::optional<Confidence> confidence;
};

// Score.format without JSON: "BLEU|<signature> = 32.1 (μ = 32.0 ± 1.2) <verbose>",
// or with score_only just "32.1 (μ = 32.0 ± 1.2)". The confidence part shows
// only for a positive mean, as in sacreBLEU.
std::string format_score(const ScoreReport& report, int width, bool score_only,
                         const std::string& signature);

// Score.format as JSON (indent 1): name, score (rounded to width), signature,
// the confidence fields, verbose_score, then each signature field.
std::string format_score_json(const ScoreReport& report, int width, const std::string& signature);

// print_single_results: what the command line prints for one system's
// formatted results (one per metric), trailing newline included. JSON results
// are listed in brackets when there are several; text lines are right-aligned
// at their first '='.
std::string format_single_results(const std::vector<std::string>& results, bool json);

// sacreBLEU's --short signature: every field name abbreviated ("nrefs" -> "#",
// "case" -> "c", "version" -> "v", ...).
std::string short_signature(const std::string& signature);

}  // namespace nmt::eval
