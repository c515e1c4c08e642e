#include "nmt/eval/corpus_score.h"

#include <cstdint>
#include <string_view>

#include "nmt/core/error.h"
#include "nmt/eval/python_text.h"

namespace nmt::eval {

double corpus_score(Metric& metric, const std::vector<std::string>& hypotheses,
                    const std::vector<std::string>& references) {
  if (hypotheses.size() != references.size())
    throw Error("corpus score: " + std::to_string(hypotheses.size()) + " hypotheses but " +
                std::to_string(references.size()) + " references");
  std::vector<int64_t> totals(metric.stats_size(), 0), line(metric.stats_size());
  std::vector<std::string_view> reference(1);
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    reference[0] = rstrip_python(references[i]);
    metric.segment_stats(rstrip_python(hypotheses[i]), reference, line.data());
    for (std::size_t k = 0; k < totals.size(); ++k) totals[k] += line[k];
  }
  return metric.score_from_stats(totals.data());
}

}  // namespace nmt::eval
