#pragma once
// A corpus score from lines in memory, for code that already holds them (e.g.
// validation during training); `nmt bleu` streams files instead.

#include <string>
#include <vector>

#include "nmt/eval/metric.h"

namespace nmt::eval {

// Lines are right-stripped as sacreBLEU's command line does; one reference set.
// Throws nmt::Error when the counts differ.
double corpus_score(Metric& metric, const std::vector<std::string>& hypotheses,
                    const std::vector<std::string>& references);

}  // namespace nmt::eval
