// Every case in the sacreBLEU 2.4.3 test data (tests/data/sacrebleu): our
// scores, statistics, tokenizations, signatures and CLI text must equal the
// ones sacreBLEU printed. The folder comes from NMT_BLEU_TESTDATA, else from
// the build's default, the copy in the repository.
#define BOOST_TEST_MODULE eval_sacrebleu_cases
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nmt/core/error.h"
#include "nmt/core/version.h"
#include "sacrebleu_cases.h"
#include "nmt/eval/aligned_lines.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/chrf.h"
#include "nmt/eval/score_format.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace nmt::eval;

using nmt::testing::sacrebleu_case_dirs;
using nmt::testing::sacrebleu_testdata_dir;
using nmt::testing::with_our_version;

namespace {

std::vector<std::string> file_paths(const fs::path& dir) {
  std::vector<std::string> paths{(dir / "hyp.txt").string()};
  for (int r = 0; fs::exists(dir / ("ref." + std::to_string(r) + ".txt")); ++r)
    paths.push_back((dir / ("ref." + std::to_string(r) + ".txt")).string());
  return paths;
}

bool close(double ours, double expected) {
  if (ours == expected) return true;
  return std::abs(ours - expected) <= 1e-9 * std::max(std::abs(ours), std::abs(expected));
}

BleuOptions bleu_options(const json& expected) {
  BleuOptions options;
  const json& given = expected["options"];
  if (given.is_null()) return options;
  if (given.contains("lowercase")) options.lowercase = given["lowercase"].get<bool>();
  if (given.contains("tokenize")) options.tokenizer = parse_tokenizer(given["tokenize"].get<std::string>());
  if (given.contains("smooth_method"))
    options.smoothing = parse_smoothing(given["smooth_method"].get<std::string>());
  if (given.contains("smooth_value") && !given["smooth_value"].is_null())
    options.smoothing_value = given["smooth_value"].get<double>();
  return options;
}

bool has_arg(const json& expected, const std::string& arg) {
  const auto& args = expected["cli_args"];
  return std::find(args.begin(), args.end(), arg) != args.end();
}

// Per-line statistics of one metric over a case's files.
std::vector<std::vector<int64_t>> segment_stats(Metric& metric, const std::vector<std::string>& paths) {
  AlignedLines lines(paths);
  std::vector<std::vector<int64_t>> rows;
  std::vector<std::string_view> line;
  while (lines.next(line)) {
    rows.emplace_back(metric.stats_size());
    metric.segment_stats(line[0], {line.begin() + 1, line.end()}, rows.back().data());
  }
  return rows;
}

std::vector<int64_t> sum(const std::vector<std::vector<int64_t>>& rows, std::size_t width) {
  std::vector<int64_t> totals(width, 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < width; ++c) totals[c] += row[c];
  return totals;
}

void check_case(const fs::path& dir) {
  BOOST_TEST_CONTEXT("case " << dir.filename().string()) {
    std::ifstream file(dir / "expected.json");
    const json expected = json::parse(file);
    const auto paths = file_paths(dir);
    BOOST_REQUIRE_GE(paths.size(), 2u);

    if (expected.value("expect_error", false)) {
      std::vector<std::string_view> line;
      try {
        AlignedLines lines(paths);
        while (lines.next(line)) {
        }
        BOOST_ERROR("sacreBLEU refused this input, we accepted it");
      } catch (const nmt::Error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("hyp.txt") != std::string::npos, message);
        BOOST_TEST(message.find("ref.0.txt") != std::string::npos, message);
      }
      return;
    }

    // BLEU
    const BleuOptions options = bleu_options(expected);
    Bleu bleu(options);
    const auto bleu_rows = segment_stats(bleu, paths);
    const auto bleu_totals = sum(bleu_rows, bleu.stats_size());
    const BleuScore score = bleu.score(bleu_totals.data());
    const json& e = expected["bleu"];
    BOOST_TEST(close(score.score, e["score"].get<double>()), score.score << " vs " << e["score"]);
    for (int n = 0; n < kBleuMaxOrder; ++n) {
      BOOST_TEST(close(score.precisions[n], e["precisions"][n].get<double>()));
      BOOST_TEST(score.counts[n] == e["counts"][n].get<double>());
      BOOST_TEST(score.totals[n] == e["totals"][n].get<double>());
    }
    BOOST_TEST(close(score.bp, e["bp"].get<double>()));
    BOOST_TEST(close(score.ratio, e["ratio"].get<double>()));
    BOOST_TEST(score.sys_len == e["sys_len"].get<int64_t>());
    BOOST_TEST(score.ref_len == e["ref_len"].get<int64_t>());
    BOOST_TEST(format_fixed(score.score, 2) == e["cli_score_w2"].get<std::string>());
    SignatureContext context;
    context.num_refs = static_cast<int>(paths.size() - 1);
    BOOST_TEST(bleu.signature(context) == with_our_version(e["signature"].get<std::string>()));

    // Tokenized lines
    {
      AlignedLines lines(paths);
      std::vector<std::string_view> line;
      std::string tokenized;
      std::size_t i = 0;
      while (lines.next(line)) {
        bleu.preprocess(line[0], tokenized);
        BOOST_TEST(tokenized == expected["tokenized"]["hyp"][i].get<std::string>());
        for (std::size_t r = 1; r < line.size(); ++r) {
          bleu.preprocess(line[r], tokenized);
          BOOST_TEST(tokenized == expected["tokenized"]["refs"][r - 1][i].get<std::string>());
        }
        ++i;
      }
      BOOST_TEST(i == expected["tokenized"]["hyp"].size());
    }

    // Sentence BLEU (effective order)
    BleuOptions sentence_options = options;
    sentence_options.effective_order = true;
    const auto& sentence_bleu = expected["sentence_bleu"];
    BOOST_REQUIRE_EQUAL(sentence_bleu.size(), bleu_rows.size());
    for (std::size_t i = 0; i < bleu_rows.size(); ++i) {
      const double ours = compute_bleu(bleu_rows[i].data(), sentence_options).score;
      BOOST_TEST(close(ours, sentence_bleu[i].get<double>()), "line " << i + 1 << ": " << ours);
    }

    // chrF and chrF++
    ChrfOptions chrf_options;
    chrf_options.lowercase = has_arg(expected, "--chrf-lowercase");
    Chrf chrf(chrf_options);
    const auto chrf_rows = segment_stats(chrf, paths);
    const double chrf_score = chrf.score_from_stats(sum(chrf_rows, chrf.stats_size()).data());
    BOOST_TEST(close(chrf_score, expected["chrf"]["score"].get<double>()));
    BOOST_TEST(format_fixed(chrf_score, 2) == expected["chrf"]["cli_score_w2"].get<std::string>());
    BOOST_TEST(chrf.signature(context) ==
               with_our_version(expected["chrf"]["signature"].get<std::string>()));
    for (std::size_t i = 0; i < chrf_rows.size(); ++i)
      BOOST_TEST(close(chrf.score_from_stats(chrf_rows[i].data()),
                       expected["sentence_chrf"][i].get<double>()), "line " << i + 1);

    ChrfOptions pp_options = chrf_options;
    pp_options.word_order = 2;
    Chrf chrf_pp(pp_options);
    const double pp_score =
        chrf_pp.score_from_stats(sum(segment_stats(chrf_pp, paths), chrf_pp.stats_size()).data());
    BOOST_TEST(close(pp_score, expected["chrf_pp"]["score"].get<double>()), pp_score);
    BOOST_TEST(chrf_pp.signature(context) ==
               with_our_version(expected["chrf_pp"]["signature"].get<std::string>()));

    // The CLI's text lines (width 1)
    const std::vector<std::string> results = {
        format_score({bleu.name(), score.score, score.verbose(), std::nullopt}, 1, false,
                     bleu.signature(context)),
        format_score({chrf.name(), chrf_score, "", std::nullopt}, 1, false, chrf.signature(context))};
    std::string cli_text;
    for (const auto& line : expected["cli_text"]) cli_text += with_our_version(line.get<std::string>()) + "\n";
    BOOST_TEST(format_single_results(results, false) == cli_text);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(testdata_is_present) {
  const auto dirs = sacrebleu_case_dirs();
  BOOST_TEST_MESSAGE("testdata: " << sacrebleu_testdata_dir() << ", " << dirs.size() << " cases");
  BOOST_REQUIRE_MESSAGE(!dirs.empty(), "no cases under " << sacrebleu_testdata_dir()
                                           << " (set NMT_BLEU_TESTDATA)");
}

BOOST_AUTO_TEST_CASE(every_case_matches_sacrebleu) {
  const auto dirs = sacrebleu_case_dirs();
  BOOST_REQUIRE(!dirs.empty());
  for (const auto& dir : dirs) check_case(dir);
}
