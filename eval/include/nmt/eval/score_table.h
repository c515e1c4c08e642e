#pragma once
// What sacreBLEU 2.4.3's command line prints for several systems at once
// (print_results_table): a table of scores, with a paired significance test
// optionally, and the metric signatures; as text (tabulate's "fancy_grid",
// without terminal colours) or as JSON.

#include <optional>
#include <string>
#include <vector>

#include "nmt/eval/score_format.h"

namespace nmt::eval {

struct SystemResult {
  double score = 0;
  std::optional<Confidence> confidence;  // paired bootstrap: resampled mean, 95% CI
  std::optional<double> p_value;         // paired test, not for the baseline
};

struct SystemRow {
  std::string system;                  // "Baseline: base.txt" for a paired test's first
  std::vector<SystemResult> results;   // one per metric, in ResultsTable::metrics' order
};

struct ResultsTable {
  std::vector<std::string> metrics;     // "BLEU", "chrF2", ...
  std::vector<std::string> signatures;  // one per metric
  std::vector<SystemRow> rows;
  // Set when the rows come from a paired bootstrap test: the number of
  // resamples its notes mention.
  std::optional<int> paired_bs_samples;
};

// The whole output, trailing newline included. Scores show `width` decimals.
std::string format_results_table(const ResultsTable& table, int width, bool json);

// tabulate(rows, headers, tablefmt="fancy_grid", colalign=("right",),
// stralign="center"): the first column right-aligned, the others centred,
// cells may hold several lines. Widths count code points. No trailing newline.
std::string format_fancy_grid(const std::vector<std::string>& headers,
                              const std::vector<std::vector<std::string>>& rows);

}  // namespace nmt::eval
