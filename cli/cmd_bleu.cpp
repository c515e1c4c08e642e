// `nmt bleu`: sacreBLEU-compatible BLEU / chrF scoring of a translation against
// one or more references, with optional paired bootstrap resampling.

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/eval/aligned_lines.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/bootstrap.h"
#include "nmt/eval/chrf.h"
#include "nmt/eval/score_format.h"
#include "nmt/eval/stats_table.h"
#include "options.h"

namespace nmt::cli {

namespace {

using eval::Metric;
using Json = nlohmann::ordered_json;

struct BleuCommand {
  std::vector<std::string> references;
  std::string hypothesis = "-";
  std::string baseline;  // --paired-bootstrap
  eval::BleuOptions bleu;
  eval::ChrfOptions chrf;
  bool want_bleu = false;
  bool want_chrf = false;
  bool json = false;
  bool sentence_level = false;
  int width = 1;
  int samples = eval::kDefaultBootstrapSamples;
};

// sacreBLEU spells some short options with several letters (-lc, -tok).
Args expand_multi_letter_options(const Args& args) {
  Args out;
  for (const auto& arg : args) {
    if (arg == "-lc") out.push_back("--lowercase");
    else if (arg == "-tok") out.push_back("--tokenize");
    else out.push_back(arg);
  }
  return out;
}

template <typename Parse>
auto parse_choice(const std::string& option, const std::string& value, Parse parse) {
  try {
    return parse(value);
  } catch (const std::invalid_argument& e) {
    throw po::error("--" + option + ": " + e.what());
  }
}

BleuCommand parse(const Args& args, bool& help_shown) {
  BleuCommand command;
  std::string tokenizer, smoothing, format;
  std::vector<std::string> metrics;
  po::options_description options("Options");
  options.add_options()
      ("reference,r", po::value(&command.references)->multitoken()->required(),
       "reference file(s), line-aligned with the hypothesis; repeat -r or list several")
      ("input,i", po::value(&command.hypothesis)->default_value("-"),
       "hypothesis file (\"-\": standard input)")
      ("metrics,m", po::value(&metrics)->multitoken()->default_value({"bleu"}, "bleu"),
       "metrics to compute: bleu, chrf or both")
      ("tokenize", po::value(&tokenizer)->default_value("13a"),
       "BLEU tokenizer: none, 13a, intl or char (also -tok)")
      ("lowercase", po::bool_switch(&command.bleu.lowercase), "lowercased BLEU (also -lc)")
      ("smooth-method,s", po::value(&smoothing)->default_value("exp"),
       "BLEU smoothing: exp, floor, add-k or none")
      ("smooth-value", po::value<double>(),
       "value for floor (default 0.1) and add-k (default 1) smoothing")
      ("chrf-word-order", po::value(&command.chrf.word_order)->default_value(0),
       "chrF word n-gram order (2 gives chrF++)")
      ("chrf-lowercase", po::bool_switch(&command.chrf.lowercase), "case-insensitive chrF")
      ("sentence-level", po::bool_switch(&command.sentence_level),
       "print a score per line (BLEU with effective order)")
      ("paired-bootstrap", po::value(&command.baseline)->value_name("BASELINE_HYP"),
       "compare the hypothesis with this baseline by paired bootstrap resampling "
       "(seed from SACREBLEU_SEED, default 12345)")
      ("bootstrap-samples", po::value(&command.samples)->default_value(command.samples),
       "number of bootstrap resamples")
      ("format,f", po::value(&format)->default_value("text"), "output format: text or json")
      ("width,w", po::value(&command.width)->default_value(1), "decimals shown for scores");

  const CommandSpec spec{"bleu", "nmt bleu -r REF [-r REF ...] [-i HYP] [options]",
                         "Scores a translation with BLEU and/or chrF exactly as sacreBLEU 2.x "
                         "does (same tokenizers, smoothing and signatures)."};
  po::variables_map vm;
  help_shown = !parse_command_line(spec, options, nullptr, expand_multi_letter_options(args), vm);
  if (help_shown) return command;

  command.bleu.tokenizer = parse_choice("tokenize", tokenizer, eval::parse_tokenizer);
  command.bleu.smoothing = parse_choice("smooth-method", smoothing, eval::parse_smoothing);
  if (vm.count("smooth-value")) command.bleu.smoothing_value = vm["smooth-value"].as<double>();
  command.bleu.effective_order = command.sentence_level;
  for (const auto& metric : metrics) {
    if (metric == "bleu") command.want_bleu = true;
    else if (metric == "chrf") command.want_chrf = true;
    else throw po::error("--metrics: unknown metric '" + metric + "' (choose bleu, chrf)");
  }
  if (format != "text" && format != "json")
    throw po::error("--format: choose text or json, not '" + format + "'");
  command.json = format == "json";
  if (command.width < 0 || command.width > 20) throw po::error("--width: choose 0..20");
  if (command.samples < 1) throw po::error("--bootstrap-samples must be at least 1");
  if (command.sentence_level && !command.baseline.empty())
    throw po::error("--sentence-level and --paired-bootstrap cannot be combined");
  return command;
}

std::vector<std::unique_ptr<Metric>> make_metrics(const BleuCommand& command) {
  std::vector<std::unique_ptr<Metric>> metrics;  // sacreBLEU's order: BLEU, then chrF
  if (command.want_bleu) metrics.push_back(std::make_unique<eval::Bleu>(command.bleu));
  if (command.want_chrf) {
    try {
      metrics.push_back(std::make_unique<eval::Chrf>(command.chrf));
    } catch (const std::invalid_argument& e) {
      throw po::error(std::string("--chrf-word-order: ") + e.what());
    }
  }
  return metrics;
}

std::string verbose_of(const Metric& metric, const int64_t* stats) {
  if (const auto* bleu = dynamic_cast<const eval::Bleu*>(&metric))
    return bleu->score(stats).verbose();
  return "";
}

// Counts are whole numbers unless add-k smoothing added a fraction.
Json whole_numbers_as_integers(const std::array<double, eval::kBleuMaxOrder>& values) {
  Json out = Json::array();
  for (const double v : values) {
    if (v == std::floor(v)) out.push_back(static_cast<int64_t>(v));
    else out.push_back(v);
  }
  return out;
}

// sacreBLEU's JSON for one score (its score rounded to the width shown), plus
// the full-precision BLEU figures for scripts.
Json score_json(const Metric& metric, const std::string& signature, const int64_t* stats,
                int width) {
  const double score = metric.score_from_stats(stats);
  Json out;
  out["name"] = metric.name();
  out["score"] = std::stod(eval::format_fixed(score, width));
  out["signature"] = signature;
  if (const auto* bleu = dynamic_cast<const eval::Bleu*>(&metric)) {
    const auto details = bleu->score(stats);
    out["verbose_score"] = details.verbose();
    out["precisions"] = details.precisions;
    out["bp"] = details.bp;
    out["ratio"] = details.ratio;
    out["hyp_len"] = details.sys_len;
    out["ref_len"] = details.ref_len;
    out["counts"] = whole_numbers_as_integers(details.counts);
    out["totals"] = whole_numbers_as_integers(details.totals);
  }
  out["full_score"] = score;
  std::size_t start = 0;
  while (start <= signature.size()) {
    std::size_t end = signature.find('|', start);
    if (end == std::string::npos) end = signature.size();
    const std::string field = signature.substr(start, end - start);
    const std::size_t colon = field.find(':');
    out[field.substr(0, colon)] = field.substr(colon + 1);
    start = end + 1;
  }
  return out;
}

int score_corpus(const BleuCommand& command, std::vector<std::unique_ptr<Metric>>& metrics) {
  std::vector<std::string> paths{command.hypothesis};
  paths.insert(paths.end(), command.references.begin(), command.references.end());
  eval::AlignedLines lines(paths);
  eval::SignatureContext context;
  context.num_refs = static_cast<int>(command.references.size());

  std::vector<std::vector<int64_t>> totals, row;
  for (const auto& metric : metrics) {
    totals.emplace_back(metric->stats_size(), 0);
    row.emplace_back(metric->stats_size(), 0);
  }
  std::vector<std::string_view> line;
  while (lines.next(line)) {
    const std::vector<std::string_view> refs(line.begin() + 1, line.end());
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      metrics[m]->segment_stats(line[0], refs, row[m].data());
      for (std::size_t c = 0; c < row[m].size(); ++c) totals[m][c] += row[m][c];
      if (!command.sentence_level) continue;
      const std::string signature = metrics[m]->signature(context);
      if (command.json)
        std::cout << score_json(*metrics[m], signature, row[m].data(), command.width).dump()
                  << "\n";
      else
        std::cout << eval::format_score_line(metrics[m]->name(), signature,
                                             metrics[m]->score_from_stats(row[m].data()),
                                             command.width, verbose_of(*metrics[m], row[m].data()))
                  << "\n";
    }
  }
  if (command.sentence_level) return 0;

  std::vector<std::string> text;
  Json json = Json::array();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const std::string signature = metrics[m]->signature(context);
    json.push_back(score_json(*metrics[m], signature, totals[m].data(), command.width));
    text.push_back(eval::format_score_line(metrics[m]->name(), signature,
                                           metrics[m]->score_from_stats(totals[m].data()),
                                           command.width,
                                           verbose_of(*metrics[m], totals[m].data())));
  }
  if (command.json)
    std::cout << (json.size() == 1 ? json[0] : json).dump(1) << "\n";
  else
    for (const auto& out : eval::align_score_lines(text)) std::cout << out << "\n";
  return 0;
}

uint64_t bootstrap_seed() {
  const char* value = std::getenv("SACREBLEU_SEED");
  if (value == nullptr || *value == '\0') return eval::kDefaultBootstrapSeed;
  char* end = nullptr;
  const unsigned long long seed = std::strtoull(value, &end, 10);
  if (*end != '\0' || value[0] == '-')
    throw Error(std::string("SACREBLEU_SEED must be a non-negative integer, not '") + value + "'");
  return seed;
}

int run_paired_bootstrap(const BleuCommand& command,
                         std::vector<std::unique_ptr<Metric>>& metrics) {
  std::vector<std::string> paths{command.hypothesis, command.baseline};
  paths.insert(paths.end(), command.references.begin(), command.references.end());
  eval::AlignedLines lines(paths);
  std::vector<eval::StatsTable> system, baseline;
  for (const auto& metric : metrics) {
    system.emplace_back(metric->stats_size());
    baseline.emplace_back(metric->stats_size());
  }
  std::vector<std::string_view> line;
  while (lines.next(line)) {
    const std::vector<std::string_view> refs(line.begin() + 2, line.end());
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      metrics[m]->segment_stats(line[0], refs, system[m].add_row());
      metrics[m]->segment_stats(line[1], refs, baseline[m].add_row());
    }
  }

  const uint64_t seed = bootstrap_seed();
  eval::SignatureContext context;
  context.num_refs = static_cast<int>(command.references.size());
  context.bootstrap_samples = command.samples;
  context.seed = std::to_string(seed);
  const std::string baseline_name = "Baseline: " + lines.name(1);
  const std::string system_name = lines.name(0);
  const auto fixed = [&](double v) { return eval::format_fixed(v, command.width); };

  Json json = Json::array({Json{{"system", baseline_name}}, Json{{"system", system_name}}});
  std::vector<std::string> baseline_cells, system_cells, headers, signatures;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const auto r = eval::paired_bootstrap(*metrics[m], baseline[m], system[m], command.samples, seed);
    const std::string name = metrics[m]->name();
    json[0][name] = {{"score", r.baseline.score}, {"p_value", nullptr},
                     {"mean", r.baseline.mean}, {"ci", r.baseline.ci}};
    json[1][name] = {{"score", r.system.score}, {"p_value", r.p_value},
                     {"mean", r.system.mean}, {"ci", r.system.ci}};
    headers.push_back(name + " (μ ± 95% CI)");
    baseline_cells.push_back(fixed(r.baseline.score) + " (" + fixed(r.baseline.mean) + " ± " +
                             fixed(r.baseline.ci) + ")");
    system_cells.push_back(fixed(r.system.score) + " (" + fixed(r.system.mean) + " ± " +
                           fixed(r.system.ci) + ") (p = " + eval::format_fixed(r.p_value, 4) +
                           ")" + (r.p_value <= 0.05 ? "*" : ""));
    signatures.push_back(" - " + name + std::string(name.size() < 10 ? 10 - name.size() : 0, ' ') +
                         " " + metrics[m]->signature(context));
  }
  if (command.json) {
    std::cout << json.dump(4) << "\n";
    return 0;
  }
  const auto row = [](const std::string& first, const std::vector<std::string>& cells) {
    std::string out = first;
    for (const auto& cell : cells) out += "\t" + cell;
    return out;
  };
  const std::string title = "Paired bootstrap resampling test with " +
                            std::to_string(command.samples) + " resampling trials";
  std::cout << row("System", headers) << "\n"
            << row(baseline_name, baseline_cells) << "\n"
            << row(system_name, system_cells) << "\n\n"
            << std::string(title.size(), '-') << "\n" << title << "\n"
            << std::string(title.size(), '-') << "\n"
            << " - p-values < 0.05 (marked with \"*\"): the difference to the baseline is\n"
               "   unlikely to be due to chance.\n\n"
            << "-----------------\nMetric signatures\n-----------------\n";
  for (const auto& signature : signatures) std::cout << signature << "\n";
  return 0;
}

}  // namespace

int run_bleu(const Args& args) {
  bool help_shown = false;
  const BleuCommand command = parse(args, help_shown);
  if (help_shown) return 0;
  auto metrics = make_metrics(command);
  if (!command.baseline.empty()) return run_paired_bootstrap(command, metrics);
  return score_corpus(command, metrics);
}

}  // namespace nmt::cli
