// `nmt bleu` run the way sacreBLEU 2.4.3's command line was run on every case
// in tests/data/sacrebleu (positional references, -i, the case's cli_args):
// the printed text must be what sacreBLEU printed (cli_text), with only the
// version in signatures changed; -b, -sl, the JSON output, -r and standard
// input are checked against the same data.
#define BOOST_TEST_MODULE eval_cli_sacrebleu_cases
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "nmt/core/version.h"
#include "sacrebleu_cases.h"

namespace fs = std::filesystem;
using nlohmann::json;
using OrderedJson = nlohmann::ordered_json;  // keeps the keys in the order printed

using nmt::testing::sacrebleu_case_dirs;
using nmt::testing::sacrebleu_testdata_dir;
using nmt::testing::with_our_version;

namespace {

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int status = -1;
  std::string out;
};

// Runs `nmt bleu ARGS` through the shell (stderr discarded).
Run nmt_bleu(const std::string& args) {
  const std::string command = quoted(NMT_BINARY) + " bleu " + args + " 2>/dev/null";
  Run run;
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

bool close(double ours, double expected) {
  if (ours == expected) return true;
  return std::abs(ours - expected) <= 1e-9 * std::max(std::abs(ours), std::abs(expected));
}

struct Case {
  fs::path dir;
  json expected;
  std::string references;  // quoted, in order
  std::string hypothesis;  // quoted
  std::string metrics;     // "-m bleu chrf", from the names cli_text starts with
  std::string cli_args;    // quoted
};

Case load(const fs::path& dir) {
  Case c;
  c.dir = dir;
  std::ifstream file(dir / "expected.json");
  c.expected = json::parse(file);
  for (int r = 0; fs::exists(dir / ("ref." + std::to_string(r) + ".txt")); ++r)
    c.references += (r ? " " : "") + quoted((dir / ("ref." + std::to_string(r) + ".txt")).string());
  c.hypothesis = quoted((dir / "hyp.txt").string());
  c.metrics = "-m";
  for (const auto& line : c.expected["cli_text"]) {
    const std::string text = line.get<std::string>();
    const std::string name = text.substr(text.find_first_not_of(' '), 4);
    c.metrics += name == "BLEU" ? " bleu" : " chrf";
  }
  for (const auto& arg : c.expected["cli_args"]) c.cli_args += " " + quoted(arg.get<std::string>());
  return c;
}

std::string expected_text(const Case& c) {
  std::string text;
  for (const auto& line : c.expected["cli_text"]) text += with_our_version(line.get<std::string>()) + "\n";
  return text;
}

bool hypothesis_has_inner_tab(const Case& c) {
  std::ifstream file(c.dir / "hyp.txt");
  for (std::string line; std::getline(file, line);) {
    const std::size_t end = line.find_last_not_of(" \t\r\v\f");
    if (end != std::string::npos && line.substr(0, end).find('\t') != std::string::npos) return true;
  }
  return false;
}

void check_text(const Case& c) {
  const std::string args = c.references + " -i " + c.hypothesis + " " + c.metrics + " -f text" + c.cli_args;
  const Run run = nmt_bleu(args);
  BOOST_TEST(run.status == 0);
  BOOST_TEST(run.out == expected_text(c));

  // -r names the same references; without -i the hypothesis comes from stdin.
  const Run with_r = nmt_bleu("-r " + c.references + " -i " + c.hypothesis + " " + c.metrics + " -f text" + c.cli_args);
  BOOST_TEST(with_r.out == run.out, "-r differs from positional references");
  const Run from_stdin = nmt_bleu(c.references + " " + c.metrics + " -f text" + c.cli_args + " < " + c.hypothesis);
  if (hypothesis_has_inner_tab(c)) {
    // sacreBLEU would split such lines into several systems; nmt bleu refuses them.
    BOOST_TEST(from_stdin.status == 1);
  } else {
    BOOST_TEST(from_stdin.status == 0);
    BOOST_TEST(from_stdin.out == run.out, "stdin differs from -i");
  }
}

// The default output: sacreBLEU's JSON, one object per metric, its fields in
// sacreBLEU's order and their values those of the text line.
void check_json(const Case& c) {
  const Run run = nmt_bleu(c.references + " -i " + c.hypothesis + " " + c.metrics + c.cli_args);
  BOOST_REQUIRE(run.status == 0);
  const OrderedJson parsed = OrderedJson::parse(run.out);
  const auto& cli_text = c.expected["cli_text"];
  const OrderedJson objects = cli_text.size() == 1 ? OrderedJson::array({parsed}) : parsed;
  BOOST_REQUIRE_EQUAL(objects.size(), cli_text.size());
  for (std::size_t m = 0; m < objects.size(); ++m) {
    // "  BLEU|<signature> = 49.7 <verbose>"
    std::string line = with_our_version(cli_text[m].get<std::string>());
    line = line.substr(line.find_first_not_of(' '));
    const std::size_t bar = line.find('|'), equals = line.find(" = ");
    const std::string name = line.substr(0, bar);
    const std::string signature = line.substr(bar + 1, equals - bar - 1);
    const std::string rest = line.substr(equals + 3);
    const std::size_t space = rest.find(' ');
    const std::string score = rest.substr(0, space);
    const std::string verbose = space == std::string::npos ? "" : rest.substr(space + 1);

    std::vector<std::string> keys{"name", "score", "signature"};
    if (!verbose.empty()) keys.push_back("verbose_score");
    std::vector<std::pair<std::string, std::string>> fields;
    for (std::size_t start = 0; start < signature.size();) {
      std::size_t end = signature.find('|', start);
      if (end == std::string::npos) end = signature.size();
      const std::string field = signature.substr(start, end - start);
      fields.emplace_back(field.substr(0, field.find(':')), field.substr(field.find(':') + 1));
      keys.push_back(fields.back().first);
      start = end + 1;
    }
    const OrderedJson& object = objects[m];
    std::vector<std::string> ours;
    for (auto item = object.begin(); item != object.end(); ++item) ours.push_back(item.key());
    BOOST_TEST(ours == keys, boost::test_tools::per_element());
    BOOST_TEST(object["name"] == name);
    BOOST_TEST(object["score"].get<double>() == std::stod(score));
    BOOST_TEST(object["signature"] == signature);
    if (!verbose.empty()) BOOST_TEST(object["verbose_score"] == verbose);
    for (const auto& [key, value] : fields) BOOST_TEST(object[key] == value);
  }
  // json.dumps(indent=1): one space per level, objects listed flush left.
  BOOST_TEST(run.out.rfind(cli_text.size() == 1 ? "{\n \"name\": " : "[\n{\n \"name\": ", 0) == 0);
}

// -b -w 2: just the scores, as sacreBLEU printed them with two decimals.
void check_score_only(const Case& c) {
  std::vector<std::string> scores;
  for (const auto& line : c.expected["cli_text"]) {
    const std::string text = line.get<std::string>();
    const char* key = text.find("BLEU|") != std::string::npos ? "bleu" : "chrf";
    scores.push_back(c.expected[key]["cli_score_w2"].get<std::string>());
  }
  const std::string args = c.references + " -i " + c.hypothesis + " " + c.metrics + " -b -w 2" + c.cli_args;
  std::string text, json_text = scores.size() > 1 ? "[\n" : "";
  for (std::size_t i = 0; i < scores.size(); ++i) {
    text += scores[i] + "\n";
    json_text += scores[i] + (scores.size() == 1 ? "\n" : i + 1 < scores.size() ? ",\n" : "\n]\n");
  }
  BOOST_TEST(nmt_bleu(args + " -f text").out == text);
  BOOST_TEST(nmt_bleu(args).out == json_text);
}

// -sl: one score per line, sacreBLEU's sentence scores (BLEU with effective order).
void check_sentence_level(const Case& c) {
  for (const char* metric : {"bleu", "chrf"}) {
    BOOST_TEST_CONTEXT("sentence " << metric) {
      const auto& expected = c.expected[std::string("sentence_") + metric];
      const std::string args = c.references + " -i " + c.hypothesis + " -m " + metric + " -sl" + c.cli_args;
      const auto scores = lines_of(nmt_bleu(args + " -b -w 17").out);
      BOOST_REQUIRE_EQUAL(scores.size(), expected.size());
      for (std::size_t i = 0; i < scores.size(); ++i)
        BOOST_TEST(close(std::stod(scores[i]), expected[i].get<double>()), "line " << i + 1 << ": " << scores[i]);

      std::string signature = with_our_version(c.expected[metric]["signature"].get<std::string>());
      if (std::string(metric) == "bleu") signature.replace(signature.find("eff:no"), 6, "eff:yes");
      const auto lines = lines_of(nmt_bleu(args + " -f json").out);  // -sl prints text in any format
      BOOST_REQUIRE_EQUAL(lines.size(), expected.size());
      const std::string prefix = (std::string(metric) == "bleu" ? "BLEU|" : "chrF2|") + signature + " = ";
      for (const auto& line : lines) BOOST_TEST(line.rfind(prefix, 0) == 0, line);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_case_prints_what_sacrebleu_printed) {
  const auto dirs = sacrebleu_case_dirs();
  BOOST_REQUIRE_MESSAGE(!dirs.empty(), "no cases under " << sacrebleu_testdata_dir());
  int with_text = 0;
  for (const auto& dir : dirs) {
    BOOST_TEST_CONTEXT("case " << dir.filename().string()) {
      const Case c = load(dir);
      if (c.expected.value("expect_error", false)) {
        const Run run = nmt_bleu(c.references + " -i " + c.hypothesis + c.cli_args);
        BOOST_TEST(run.status == c.expected["cli_returncode"].get<int>());
        BOOST_TEST(run.out.empty());
        continue;
      }
      if (!c.expected.contains("cli_text")) continue;
      ++with_text;
      check_text(c);
      check_json(c);
      check_score_only(c);
      check_sentence_level(c);
    }
  }
  BOOST_TEST(with_text > 0);
}
