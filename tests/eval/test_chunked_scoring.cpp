// Scoring on several threads gives what one thread gives, bit for bit: every
// line's statistics, corpus and sentence-level output, and errors at the same
// line; and the hash-table n-gram matching agrees with plain counting.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "nmt/core/error.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/chrf.h"
#include "nmt/eval/chunked_scoring.h"
#include "nmt/eval/python_text.h"
#include "nmt/eval/report.h"

namespace fs = std::filesystem;
using namespace nmt::eval;

namespace {

// Words that exercise 13a and chrF++: punctuation, numbers, dashes, non-ASCII,
// entities, and a small vocabulary so n-grams repeat within lines.
std::string random_line(std::mt19937& rng, int vocabulary) {
  static const char* kWords[] = {"the", "a", "cat", "Cat", "sat.", "(on)", "3.5", "12-3", "&amp;",
                                 "mat,", "über", "ÉTÉ", "naïve", "--", "x'y", "Ω", "$9", "a.b"};
  const int size = std::min<int>(vocabulary, static_cast<int>(std::size(kWords)));
  std::uniform_int_distribution<int> length(0, 30), word(0, size - 1), gap(0, 9);
  std::string line;
  for (int w = length(rng); w > 0; --w) {
    line += kWords[word(rng)];
    line += gap(rng) == 0 ? "  " : gap(rng) == 1 ? "\u00A0" : " ";
  }
  return line;
}

struct Corpus {
  fs::path dir;
  std::vector<std::string> paths;  // hypothesis, then references
  explicit Corpus(int lines, int files = 3, int vocabulary = 18) {
    dir = fs::temp_directory_path() / ("nmt_chunked_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::mt19937 rng(7);
    for (int f = 0; f < files; ++f) {
      paths.push_back((dir / ("file" + std::to_string(f) + ".txt")).string());
      std::ofstream out(paths.back());
      for (int l = 0; l < lines; ++l) out << random_line(rng, vocabulary) << "\n";
    }
  }
  ~Corpus() { fs::remove_all(dir); }
};

std::vector<std::unique_ptr<Metric>> all_metrics() {
  std::vector<std::unique_ptr<Metric>> metrics;
  metrics.push_back(std::make_unique<Bleu>());
  BleuOptions intl;
  intl.tokenizer = TokenizerKind::kIntl;
  intl.lowercase = true;
  metrics.push_back(std::make_unique<Bleu>(intl));
  metrics.push_back(std::make_unique<Chrf>());
  ChrfOptions plus;
  plus.word_order = 2;
  plus.lowercase = true;
  metrics.push_back(std::make_unique<Chrf>(plus));
  return metrics;
}

std::vector<int64_t> chunked_rows(const std::vector<std::string>& paths, int threads,
                                  std::size_t chunk_lines) {
  const auto metrics = all_metrics();
  AlignedLines input(paths);
  ChunkedScoring options;
  options.threads = threads;
  options.chunk_lines = chunk_lines;
  std::vector<int64_t> rows;
  std::size_t expected_line = 1;
  const std::size_t width = row_offsets(metrics, 1).back();
  score_chunked(input, metrics, options, [](const auto&, std::size_t) {},
                [&](std::size_t line, const int64_t* row) {
                  BOOST_REQUIRE_EQUAL(line, expected_line++);
                  rows.insert(rows.end(), row, row + width);
                });
  return rows;
}

std::string report(ReportOptions options, int threads) {
  options.threads = threads;
  std::ostringstream out;
  write_report(options, out);
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(chunked_scoring)

BOOST_AUTO_TEST_CASE(rows_do_not_depend_on_threads_or_chunks) {
  const Corpus corpus(2500);
  // One thread, one line at a time, without the pipeline.
  auto metrics = all_metrics();
  AlignedLines input(corpus.paths);
  std::vector<int64_t> expected;
  std::vector<std::string_view> line;
  const auto offsets = row_offsets(metrics, 1);
  std::vector<int64_t> row(offsets.back());
  while (input.next(line)) {
    const std::vector<std::string_view> references(line.begin() + 1, line.end());
    for (std::size_t m = 0; m < metrics.size(); ++m)
      metrics[m]->segment_stats(line[0], references, row.data() + offsets[m]);
    expected.insert(expected.end(), row.begin(), row.end());
  }
  for (const int threads : {1, 2, 3, 8})
    for (const std::size_t chunk_lines : {std::size_t{1}, std::size_t{7}, std::size_t{1024}})
      BOOST_TEST(chunked_rows(corpus.paths, threads, chunk_lines) == expected,
                 threads << " threads, " << chunk_lines << " lines a chunk");
}

BOOST_AUTO_TEST_CASE(reports_are_the_same_on_any_number_of_threads) {
  const Corpus corpus(3000);
  ReportOptions options;
  options.systems = {corpus.paths[0]};
  options.references = {corpus.paths[1], corpus.paths[2]};
  for (const auto& metrics : std::vector<std::vector<std::string>>{{"bleu", "chrf"}, {"chrf"}, {"bleu"}}) {
    for (const bool sentence_level : {false, true}) {
      if (sentence_level && metrics.size() > 1) continue;
      options.metrics = metrics;
      options.sentence_level = sentence_level;
      options.chrf.word_order = sentence_level ? 2 : 0;
      const std::string one = report(options, 1);
      BOOST_TEST(!one.empty());
      for (const int threads : {2, 4}) BOOST_TEST(report(options, threads) == one);
    }
  }
  // Several systems with a paired test: rows are kept in line order.
  options = ReportOptions{};
  options.metrics = {"bleu", "chrf"};
  options.systems = {corpus.paths[0], corpus.paths[1]};
  options.references = {corpus.paths[2]};
  options.paired_bs = true;
  options.paired_bs_samples = 50;
  BOOST_TEST(report(options, 3) == report(options, 1));
}

BOOST_AUTO_TEST_CASE(an_error_comes_after_the_lines_before_it) {
  const Corpus corpus(2100, 2);
  {
    std::ofstream append(corpus.paths[0], std::ios::app);
    append << "bad \xFF byte\n";
  }
  std::ofstream(corpus.paths[1], std::ios::app) << "fine\n";
  ReportOptions options;
  options.systems = {corpus.paths[0]};
  options.references = {corpus.paths[1]};
  options.sentence_level = true;
  for (const int threads : {1, 2, 4}) {
    options.threads = threads;
    std::ostringstream out;
    try {
      write_report(options, out);
      BOOST_FAIL("no error for invalid UTF-8");
    } catch (const nmt::Error& e) {
      BOOST_TEST(std::string(e.what()).find(corpus.paths[0] + ":2101") != std::string::npos, e.what());
    }
    const std::string printed = out.str();
    BOOST_TEST(std::count(printed.begin(), printed.end(), '\n') == 2100);
  }
}

// Plain counting with maps of word vectors: clipped matches over several
// references (BLEU: clip by the largest reference count).
BOOST_AUTO_TEST_CASE(hash_table_matches_equal_plain_counting) {
  using Ngrams = std::map<std::vector<std::string_view>, int64_t>;
  const auto count = [](const std::vector<std::string_view>& words, int order) {
    Ngrams ngrams;
    for (std::size_t i = 0; i + order <= words.size(); ++i)
      ++ngrams[std::vector<std::string_view>(words.begin() + i, words.begin() + i + order)];
    return ngrams;
  };
  BleuOptions options;
  options.tokenizer = TokenizerKind::kNone;
  Bleu bleu(options);
  std::mt19937 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::string> lines;
    for (int r = 0; r < 4; ++r) lines.push_back(random_line(rng, 1 + trial % 5));
    std::vector<std::vector<std::string_view>> words(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) split_python(lines[i], words[i]);
    std::vector<int64_t> stats(BleuStatsLayout::kSize);
    bleu.segment_stats(lines[0], {lines[1], lines[2], lines[3]}, stats.data());
    for (int order = 1; order <= kBleuMaxOrder; ++order) {
      Ngrams best;
      for (std::size_t r = 1; r < lines.size(); ++r)
        for (const auto& [ngram, n] : count(words[r], order)) best[ngram] = std::max(best[ngram], n);
      int64_t correct = 0;
      for (const auto& [ngram, n] : count(words[0], order)) correct += std::min(n, best[ngram]);
      BOOST_TEST(stats[BleuStatsLayout::kCorrect + order - 1] == correct);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
