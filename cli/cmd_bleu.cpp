// `nmt bleu`: sacreBLEU 2.4.3's command line (its options, defaults and
// output) for scoring translations with BLEU and chrF. This file only parses;
// eval/report scores and prints.

#include <boost/any.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.h"
#include "nmt/core/version.h"
#include "nmt/eval/report.h"
#include "options.h"

namespace nmt::cli {

namespace {

// sacreBLEU spells many short options with several letters, which
// Boost.Program_options cannot parse: they are given their long names first.
Args expand_multi_letter_options(const Args& args) {
  static const std::map<std::string, std::string> kLongNames = {
      {"-lc", "--lowercase"},      {"-tok", "--tokenize"},       {"-sl", "--sentence-level"},
      {"-sv", "--smooth-value"},   {"-cc", "--chrf-char-order"}, {"-cw", "--chrf-word-order"},
      {"-ci", "--confidence"},     {"-cin", "--confidence-n"},   {"-pbs", "--paired-bs"},
      {"-pbsn", "--paired-bs-n"},  {"-par", "--paired-ar"},      {"-parn", "--paired-ar-n"},
      {"-sh", "--short"},          {"-nc", "--no-color"},        {"-nr", "--num-refs"},
      {"-ol", "--origlang"}};
  Args out;
  bool options_ended = false;
  for (const auto& arg : args) {
    options_ended = options_ended || arg == "--";
    const std::size_t equals = arg.find('=');
    const auto long_name = kLongNames.find(arg.substr(0, equals));
    if (options_ended || long_name == kLongNames.end()) {
      out.push_back(arg);
    } else {
      out.push_back(long_name->second + (equals == std::string::npos ? "" : arg.substr(equals)));
    }
  }
  return out;
}

// sacreBLEU options for what nmt bleu does not have: accepted by the parser so
// that using one stops with the reason rather than "unknown option".
const std::map<std::string, std::string>& unsupported_options() {
  static const std::map<std::string, std::string> kWhy = [] {
    const std::string test_sets = "sacreBLEU's built-in test sets are not available in nmt bleu; "
                                  "give the reference files instead";
    const std::string ter = "TER is not supported by nmt bleu (its metrics are bleu and chrf)";
    return std::map<std::string, std::string>{
        {"test-set", test_sets}, {"language-pair", test_sets}, {"origlang", test_sets},
        {"subset", test_sets}, {"download", test_sets}, {"echo", test_sets}, {"list", test_sets},
        {"citation", test_sets}, {"cite", test_sets},
        {"detail", "it reports on sacreBLEU's built-in test sets, which nmt bleu does not have"},
        {"paired-ar", "approximate randomization is not supported by nmt bleu; use --paired-bs"},
        {"ter-case-sensitive", ter}, {"ter-asian-support", ter}, {"ter-no-punct", ter},
        {"ter-normalized", ter}};
  }();
  return kWhy;
}

void add_unsupported_options(po::options_description& options) {
  options.add_options()
      ("test-set,t", po::value<std::string>(), "built-in test sets")
      ("language-pair,l", po::value<std::string>(), "built-in test sets")
      ("origlang", po::value<std::string>(), "built-in test sets (also -ol)")
      ("subset", po::value<std::string>(), "built-in test sets")
      ("download", po::value<std::string>(), "built-in test sets")
      ("echo", po::value<std::vector<std::string>>()->multitoken(), "built-in test sets")
      ("list", po::bool_switch(), "built-in test sets")
      ("citation", po::bool_switch(), "built-in test sets (also --cite)")
      ("cite", po::bool_switch(), "built-in test sets")
      ("detail,d", po::bool_switch(), "built-in test sets")
      ("paired-ar", po::bool_switch(), "approximate randomization (also -par)")
      ("ter-case-sensitive", po::bool_switch(), "TER")
      ("ter-asian-support", po::bool_switch(), "TER")
      ("ter-no-punct", po::bool_switch(), "TER")
      ("ter-normalized", po::bool_switch(), "TER");
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool given(const po::variables_map& vm, const std::string& name) {
  if (!vm.count(name) || vm[name].defaulted()) return false;
  const auto* flag = boost::any_cast<bool>(&vm[name].value());
  return flag == nullptr || *flag;
}

template <typename Parse>
auto parse_choice(const std::string& option, const std::string& value, Parse parse) {
  try {
    return parse(value);
  } catch (const std::invalid_argument& e) {
    throw po::error("--" + option + ": " + e.what());
  }
}

// Returns false when nothing is to be scored (--help, --dump-config, --version).
bool parse(const Args& args, eval::ReportOptions& request) {
  std::vector<std::string> metrics, references;
  std::string tokenizer, smoothing, format, encoding;
  int num_refs = 1, paired_ar_n = 0, paired_jobs = 1;
  bool unused = false;
  po::options_description options("Options (sacreBLEU's, with its defaults)");
  options.add_options()
      ("reference,r", po::value(&references)->multitoken()->composing()->value_name("REF..."),
       "reference file(s), also given without -r before the other options")
      ("input,i", po::value(&request.systems)->multitoken()->default_value({"-"}, "-")->value_name("HYP..."),
       "hypothesis file(s); several give a table, or with --paired-bs a significance test "
       "against the first (default: standard input)")
      ("metrics,m", po::value(&metrics)->multitoken()->default_value({"bleu"}, "bleu")->value_name("METRIC..."),
       "bleu and/or chrf")
      ("sentence-level", po::bool_switch(&request.sentence_level), "a score for each sentence (also -sl)")
      ("smooth-method,s", choice(&smoothing, "smooth-method", {"none", "floor", "add-k", "exp"})->default_value("exp"),
       "BLEU smoothing")
      ("smooth-value", po::value<double>(), "for floor (default 0.1) and add-k (default 1) smoothing (also -sv)")
      ("tokenize", po::value(&tokenizer)->default_value("13a"), "BLEU tokenizer: none, 13a, intl or char (also -tok)")
      ("lowercase", po::bool_switch(&request.bleu.lowercase), "case-insensitive BLEU (also -lc)")
      ("force", po::bool_switch(&unused), "accepted and ignored, as in sacreBLEU 2.4.3")
      ("chrf-char-order", po::value(&request.chrf.char_order)->default_value(6), "chrF character n-gram order, 1..6 (also -cc)")
      ("chrf-word-order", po::value(&request.chrf.word_order)->default_value(0), "chrF word n-gram order, 0..4; 2 gives chrF++ (also -cw)")
      ("chrf-beta", po::value(&request.chrf.beta)->default_value(2), "weight of recall against precision")
      ("chrf-whitespace", po::bool_switch(&request.chrf.whitespace), "keep whitespace in character n-grams")
      ("chrf-lowercase", po::bool_switch(&request.chrf.lowercase), "case-insensitive chrF")
      ("chrf-eps-smoothing", po::bool_switch(&request.chrf.eps_smoothing), "chrF++.py's epsilon smoothing")
      ("confidence", po::bool_switch(&request.confidence), "bootstrap 95% confidence interval (also -ci)")
      ("confidence-n", po::value(&request.confidence_samples)->default_value(request.confidence_samples),
       "resamples for --confidence (also -cin)")
      ("paired-bs", po::bool_switch(&request.paired_bs),
       "paired bootstrap resampling test of each -i system against the first (also -pbs)")
      ("paired-bs-n", po::value(&request.paired_bs_samples)->default_value(request.paired_bs_samples),
       "resamples for --paired-bs (also -pbsn); the seed is SACREBLEU_SEED, default 12345")
      ("paired-ar-n", po::value(&paired_ar_n)->default_value(10000), "accepted for --paired-ar (also -parn)")
      ("paired-jobs,j", po::value(&paired_jobs)->default_value(1), "accepted; the test runs in one process")
      ("num-refs", po::value(&num_refs)->default_value(1), "only 1: one reference per file (also -nr)")
      ("encoding,e", po::value(&encoding)->default_value("utf-8"), "only utf-8")
      ("quiet,q", po::bool_switch(&unused), "accepted; nmt bleu prints no log")
      ("short", po::bool_switch(&request.short_signature), "abbreviated signatures in text output (also -sh)")
      ("score-only,b", po::bool_switch(&request.score_only), "print only the score(s)")
      ("width,w", po::value(&request.width)->default_value(1), "decimals shown")
      ("no-color", po::bool_switch(&unused), "accepted; nmt bleu prints no colours (also -nc)")
      ("format,f", choice(&format, "format", {"json", "text", "latex"})->default_value("json"),
       "output format (SACREBLEU_FORMAT overrides it); latex for one system prints text")
      ("threads", po::value(&request.threads)->default_value(0),
       "scoring threads, 0 = all cores (nmt's own option; scores do not depend on it)")
      ("version,V", "print nmt bleu's version and exit");
  po::options_description not_supported("sacreBLEU options for what nmt bleu lacks (refused, with the reason)");
  add_unsupported_options(not_supported);
  options.add(not_supported);
  po::positional_options_description positional;
  positional.add("reference", -1);

  const CommandSpec spec{"bleu", "nmt bleu REF [REF ...] [-i HYP [HYP ...]] [options]",
                         "Scores translations with BLEU and chrF exactly as sacreBLEU 2.4.3 does, "
                         "with its command line and output (JSON by default); signatures name "
                         "nmt's version."};
  po::variables_map vm;
  if (!parse_command_line(spec, options, &positional, expand_multi_letter_options(args), vm)) return false;
  if (vm.count("version")) {
    std::cout << "nmt bleu " << kVersion << "\n";
    return false;
  }
  for (const auto& [option, why] : unsupported_options())
    if (given(vm, option)) throw po::error("--" + option + ": " + why);
  if (num_refs != 1) throw po::error("--num-refs: tab-separated references in one file are not "
                                     "supported by nmt bleu; give each reference as its own file");
  const std::string lower_encoding = lowercase(encoding);
  if (lower_encoding != "utf-8" && lower_encoding != "utf8" && lower_encoding != "utf_8")
    throw po::error("--encoding: nmt bleu reads UTF-8 only, not '" + encoding + "'");

  for (const auto& metric : metrics) {
    if (metric == "ter") throw po::error("--metrics ter: TER is not supported by nmt bleu (choose bleu and/or chrf)");
    if (metric != "bleu" && metric != "chrf")
      throw po::error("--metrics: invalid choice '" + metric + "' (choose from bleu, chrf)");
  }
  require_threads(request.threads);
  request.metrics = metrics;
  request.references = references;
  request.bleu.tokenizer = parse_choice("tokenize", tokenizer, eval::parse_tokenizer);
  request.bleu.smoothing = eval::parse_smoothing(smoothing);
  if (vm.count("smooth-value")) {
    const double value = vm["smooth-value"].as<double>();
    require_option(std::isfinite(value) && value >= 0, "smooth-value", "a number >= 0", value);
    request.bleu.smoothing_value = value;
  }

  if (const char* from_env = std::getenv("SACREBLEU_FORMAT")) {
    const std::string value = lowercase(from_env);
    if (value == "json" || value == "text" || value == "latex") format = value;
  }
  if (format == "latex" && request.systems.size() > 1)
    throw po::error("--format latex: sacreBLEU's LaTeX table is not supported by nmt bleu (use text or json)");
  request.json = format == "json";
  if (const char* seed = std::getenv("SACREBLEU_SEED")) request.seed = eval::parse_bootstrap_seed(seed);

  try {
    request = eval::checked_report_options(request);
  } catch (const std::invalid_argument& e) {
    throw po::error(e.what());
  }
  return true;
}

}  // namespace

int run_bleu(const Args& args) {
  eval::ReportOptions request;
  if (!parse(args, request)) return 0;
  eval::write_report(request, std::cout);
  return 0;
}

}  // namespace nmt::cli
