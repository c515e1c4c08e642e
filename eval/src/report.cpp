#include "nmt/eval/report.h"

#include <algorithm>
#include <memory>
#include <ostream>
#include <stdexcept>

#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/aligned_lines.h"
#include "nmt/eval/chunked_scoring.h"
#include "nmt/eval/score_format.h"
#include "nmt/eval/score_table.h"
#include "nmt/eval/stats_table.h"

namespace nmt::eval {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// sacreBLEU keeps its metrics in a dict keyed by name: a repeated metric counts
// once, a paired test keeps the order given, everything else sorts by name.
std::vector<std::unique_ptr<Metric>> make_metrics(const ReportOptions& options) {
  std::vector<std::string> names;
  for (const auto& name : options.metrics)
    if (!contains(names, name)) names.push_back(name);
  if (!options.paired_bs) std::sort(names.begin(), names.end());
  std::vector<std::unique_ptr<Metric>> metrics;
  for (const auto& name : names) {
    if (name == "bleu") {
      BleuOptions bleu = options.bleu;
      bleu.effective_order = bleu.effective_order || options.sentence_level;
      metrics.push_back(std::make_unique<Bleu>(bleu));
    } else if (name == "chrf") {
      metrics.push_back(std::make_unique<Chrf>(options.chrf));
    } else {
      throw std::invalid_argument("unknown metric '" + name + "'");
    }
  }
  return metrics;
}

// Per-segment statistics of every system under every metric: sums always,
// the rows themselves only when resampling needs them.
struct SystemStats {
  std::vector<std::vector<int64_t>> totals;  // [metric]
  std::vector<StatsTable> rows;              // [metric]
};

class Scorer {
 public:
  Scorer(const ReportOptions& options, std::vector<std::unique_ptr<Metric>>& metrics)
      : options_(options), metrics_(metrics) {}

  // Reads every line; at sentence level prints each one's score as it goes.
  std::vector<SystemStats> run(std::ostream& out) {
    const std::size_t num_systems = options_.systems.size();
    std::vector<std::string> paths = options_.systems;
    paths.insert(paths.end(), options_.references.begin(), options_.references.end());
    AlignedLines lines(paths);
    names_.clear();
    for (std::size_t s = 0; s < num_systems; ++s) names_.push_back(lines.name(s));

    const bool keep_rows = options_.paired_bs || (options_.confidence && options_.confidence_samples > 1);
    std::vector<SystemStats> stats(num_systems);
    for (auto& system : stats) {
      for (const auto& metric : metrics_) {
        system.totals.emplace_back(metric->stats_size(), 0);
        system.rows.emplace_back(metric->stats_size());
      }
    }
    const SignatureContext context = plain_context();
    const std::vector<std::size_t> offsets = row_offsets(metrics_, num_systems);
    const auto check = [&](const std::vector<std::string_view>& line, std::size_t line_number) {
      for (std::size_t s = 0; s < num_systems; ++s) {
        // sacreBLEU reads tab-separated columns of standard input as systems.
        if (is_std_stream(options_.systems[s]) && line[s].find('\t') != std::string_view::npos)
          throw Error(lines.name(s), line_number,
                      "a tab: sacreBLEU would read tab-separated systems here, which nmt bleu "
                      "does not; give each system as a file to -i");
      }
    };
    const auto add = [&](std::size_t, const int64_t* row) {
      for (std::size_t s = 0; s < num_systems; ++s) {
        for (std::size_t m = 0; m < metrics_.size(); ++m) {
          const int64_t* stats_row = row + offsets[s * metrics_.size() + m];
          auto& totals = stats[s].totals[m];
          for (std::size_t c = 0; c < totals.size(); ++c) totals[c] += stats_row[c];
          if (keep_rows) std::copy(stats_row, stats_row + totals.size(), stats[s].rows[m].add_row());
          if (options_.sentence_level)
            out << format_score(report(*metrics_[m], stats_row), options_.width,
                                options_.score_only, text_signature(*metrics_[m], context))
                << "\n";
        }
      }
    };
    ChunkedScoring chunking;
    chunking.num_systems = num_systems;
    chunking.threads = options_.threads;
    score_chunked(lines, metrics_, chunking, check, add);
    return stats;
  }

  const std::vector<std::string>& names() const { return names_; }

  SignatureContext plain_context() const {
    SignatureContext context;
    context.num_refs = static_cast<int>(options_.references.size());
    return context;
  }

  std::string text_signature(const Metric& metric, const SignatureContext& context) const {
    const std::string signature = metric.signature(context);
    return options_.short_signature ? short_signature(signature) : signature;
  }

  static ScoreReport report(const Metric& metric, const int64_t* stats) {
    return {metric.name(), metric.score_from_stats(stats), metric.verbose(stats), std::nullopt};
  }

 private:
  const ReportOptions& options_;
  std::vector<std::unique_ptr<Metric>>& metrics_;
  std::vector<std::string> names_;
};

void write_single_system(const ReportOptions& options, Scorer& scorer,
                         const std::vector<std::unique_ptr<Metric>>& metrics,
                         const SystemStats& stats, std::ostream& out) {
  const bool resample = options.confidence && options.confidence_samples > 1;
  SignatureContext context = scorer.plain_context();
  if (resample) {
    context.bootstrap_samples = options.confidence_samples;
    context.seed = options.seed.text;
  }
  std::vector<std::string> results;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    ScoreReport report = Scorer::report(*metrics[m], stats.totals[m].data());
    if (resample) {
      const auto estimate =
          bootstrap_estimate(*metrics[m], stats.rows[m], options.confidence_samples, options.seed.draw());
      report.confidence = Confidence{estimate.mean, estimate.ci};
    }
    if (options.score_only)
      results.push_back(format_score(report, options.width, true, ""));
    else if (options.json)
      results.push_back(format_score_json(report, options.width, metrics[m]->signature(context)));
    else
      results.push_back(format_score(report, options.width, false, scorer.text_signature(*metrics[m], context)));
  }
  out << format_single_results(results, options.json);
}

void write_systems_table(const ReportOptions& options, Scorer& scorer,
                         const std::vector<std::unique_ptr<Metric>>& metrics,
                         const std::vector<SystemStats>& stats, std::ostream& out) {
  ResultsTable table;
  SignatureContext context = scorer.plain_context();
  for (const auto& metric : metrics) table.metrics.push_back(metric->name());
  for (std::size_t s = 0; s < stats.size(); ++s) {
    table.rows.push_back({scorer.names()[s], {}});
    for (std::size_t m = 0; m < metrics.size(); ++m)
      table.rows.back().results.push_back({metrics[m]->score_from_stats(stats[s].totals[m].data()), {}, {}});
  }
  if (options.paired_bs) {
    const int samples = options.paired_bs_samples > 0 ? options.paired_bs_samples : kDefaultBootstrapSamples;
    table.paired_bs_samples = options.paired_bs_samples;
    context.bootstrap_samples = samples;
    context.seed = options.seed.paired_text();
    table.rows[0].system = "Baseline: " + table.rows[0].system;
    const uint64_t seed = options.seed.draw();
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      for (std::size_t s = 1; s < stats.size(); ++s) {
        const auto result = paired_bootstrap(*metrics[m], stats[0].rows[m], stats[s].rows[m], samples, seed);
        table.rows[0].results[m].confidence = Confidence{result.baseline.mean, result.baseline.ci};
        table.rows[s].results[m].confidence = Confidence{result.system.mean, result.system.ci};
        table.rows[s].results[m].p_value = result.p_value;
      }
    }
  }
  for (const auto& metric : metrics) table.signatures.push_back(scorer.text_signature(*metric, context));
  out << format_results_table(table, options.width, options.json);
}

}  // namespace

ReportOptions checked_report_options(ReportOptions options) {
  const auto refuse = [](const std::string& why) { throw std::invalid_argument(why); };
  if (options.references.empty())
    refuse("no reference files: give them before -i/--input, or with -r");
  if (options.systems.empty()) refuse("-i/--input needs at least one file");
  if (options.metrics.empty()) refuse("--metrics needs at least one metric");
  if (options.width < 0) refuse("--width must be 0 or more");
  if (contains(options.metrics, "chrf")) Chrf{options.chrf};  // throws for orders it cannot count
  if (options.sentence_level && options.metrics.size() > 1)
    refuse("only one metric can be used in sentence-level mode");

  std::vector<std::string> systems;
  for (const auto& system : options.systems) {
    if (!contains(systems, system)) {
      systems.push_back(system);
    } else if (!(options.paired_bs && system == systems.front())) {
      refuse("'" + system + "' is given twice as a system");
    }  // sacreBLEU ignores a paired test's baseline given again
  }
  options.systems = systems;
  std::vector<std::string> paths = options.systems;
  paths.insert(paths.end(), options.references.begin(), options.references.end());
  if (std::count_if(paths.begin(), paths.end(), [](const std::string& p) { return is_std_stream(p); }) > 1)
    refuse("standard input ('-') can be read only once");

  const bool several = options.systems.size() > 1;
  if (options.sentence_level && several) refuse("only one system can be evaluated in sentence-level mode");
  if (options.sentence_level && (options.confidence || options.paired_bs))
    refuse("statistical tests are unavailable in sentence-level mode");
  if (options.paired_bs && !several)
    refuse("paired tests require multiple input systems given to --input (-i)");
  if (several && options.confidence) refuse("use paired tests (--paired-bs) for multiple systems");
  return options;
}

void write_report(const ReportOptions& options, std::ostream& out) {
  auto metrics = make_metrics(options);
  Scorer scorer(options, metrics);
  const auto stats = scorer.run(out);
  if (options.sentence_level) return;
  if (options.systems.size() == 1)
    write_single_system(options, scorer, metrics, stats[0], out);
  else
    write_systems_table(options, scorer, metrics, stats, out);
}

}  // namespace nmt::eval
