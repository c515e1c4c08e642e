#pragma once
// sacreBLEU 2.4.3's command line behind `nmt bleu`: reads the systems and
// references, scores them and prints what sacreBLEU prints for the same
// request: one system's scores (with a bootstrap confidence interval if
// asked), one score per sentence, a table for several systems, or a paired
// bootstrap test against a baseline.

#include <iosfwd>
#include <string>
#include <vector>

#include "nmt/eval/bleu.h"
#include "nmt/eval/bootstrap.h"
#include "nmt/eval/chrf.h"

namespace nmt::eval {

struct ReportOptions {
  // "bleu" and/or "chrf" as given: a paired test's columns keep this order,
  // everything else lists BLEU before chrF as sacreBLEU does.
  std::vector<std::string> metrics{"bleu"};
  BleuOptions bleu;
  ChrfOptions chrf;
  std::vector<std::string> references;
  std::vector<std::string> systems{"-"};  // "-": standard input
  bool json = true;
  bool score_only = false;       // --score-only
  bool short_signature = false;  // --short (text output only, as in sacreBLEU)
  bool sentence_level = false;   // one system and one metric; BLEU with effective order
  int width = 1;                 // decimals
  bool confidence = false;       // --confidence: one system's bootstrap interval
  int confidence_samples = kDefaultBootstrapSamples;  // resampled only when above 1
  bool paired_bs = false;        // paired bootstrap test, systems[0] the baseline
  int paired_bs_samples = kDefaultBootstrapSamples;   // 0 or less: the default
  BootstrapSeed seed;
  int threads = 0;               // scoring threads (0: all cores); results do not depend on it
};

// The options sacreBLEU would run with: a paired test's systems without
// repeats of the baseline (sacreBLEU skips those). Throws std::invalid_argument
// with sacreBLEU's reason for a combination it refuses (two metrics at
// sentence level, a paired test of one system, ...).
ReportOptions checked_report_options(ReportOptions options);

// Scores and prints. Throws nmt::Error naming the file (and line) for bad
// input: unreadable or empty files, line counts that differ, invalid UTF-8,
// tab-separated systems on standard input.
void write_report(const ReportOptions& options, std::ostream& out);

}  // namespace nmt::eval
