// Times corpus BLEU on a reproducible 100,000-line hypothesis/reference pair
// (about 25 words a line), in-process and, when given the `nmt` binary, end to
// end through `nmt bleu`. Prints seconds, lines/s and peak RSS.
// Usage: bench_bleu [PATH_TO_NMT] [LINES]

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "nmt/eval/aligned_lines.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/score_format.h"

namespace {

std::string random_word(std::mt19937& rng) {
  static const char* kPunctuation[] = {",", ".", "!", "?", ";", "'s", "-", "%"};
  std::uniform_int_distribution<int> length(2, 9), letter(0, 25), kind(0, 19);
  std::string word;
  const int k = kind(rng);
  if (k == 0) return std::to_string(rng() % 10000) + "." + std::to_string(rng() % 100);
  for (int i = length(rng); i > 0; --i) word.push_back(static_cast<char>('a' + letter(rng)));
  if (k == 1) word += kPunctuation[rng() % 8];
  return word;
}

// Reference lines from a Zipf-like vocabulary; the hypothesis keeps most words
// and changes, drops or inserts some, so all n-gram orders partly match.
void write_corpus(const std::string& hyp_path, const std::string& ref_path, int lines) {
  std::mt19937 rng(20240607);
  std::vector<std::string> vocabulary;
  for (int i = 0; i < 20000; ++i) vocabulary.push_back(random_word(rng));
  std::geometric_distribution<int> rank(0.002);
  std::uniform_int_distribution<int> words_per_line(15, 35), edit(0, 9);
  std::ofstream hyp(hyp_path), ref(ref_path);
  for (int l = 0; l < lines; ++l) {
    std::string ref_line, hyp_line;
    for (int w = words_per_line(rng); w > 0; --w) {
      const std::string& word = vocabulary[static_cast<std::size_t>(rank(rng)) % vocabulary.size()];
      ref_line += (ref_line.empty() ? "" : " ") + word;
      const int e = edit(rng);
      if (e == 0) continue;  // dropped
      const std::string& out = e == 1 ? vocabulary[rng() % vocabulary.size()] : word;
      hyp_line += (hyp_line.empty() ? "" : " ") + out;
    }
    hyp << hyp_line << "\n";
    ref << ref_line << "\n";
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

long peak_rss_kib(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string nmt = argc > 1 ? argv[1] : "";
  const int lines = argc > 2 ? std::atoi(argv[2]) : 100000;
  const auto dir = std::filesystem::temp_directory_path() / "nmt_bench_bleu";
  std::filesystem::create_directories(dir);
  const std::string hyp = (dir / "hyp.txt").string(), ref = (dir / "ref.txt").string();
  write_corpus(hyp, ref, lines);
  const long rss_after_writing = peak_rss_kib(RUSAGE_SELF);

  auto start = std::chrono::steady_clock::now();
  nmt::eval::Bleu bleu;
  nmt::eval::AlignedLines input({hyp, ref});
  std::vector<int64_t> totals(bleu.stats_size(), 0), row(bleu.stats_size());
  std::vector<std::string_view> line;
  while (input.next(line)) {
    bleu.segment_stats(line[0], {line[1]}, row.data());
    for (std::size_t c = 0; c < row.size(); ++c) totals[c] += row[c];
  }
  const auto score = bleu.score(totals.data());
  const double library_seconds = seconds_since(start);
  std::printf("corpus: %d lines (%s)\n", lines, dir.c_str());
  std::printf("BLEU = %s %s\n", nmt::eval::format_fixed(score.score, 2).c_str(), score.verbose().c_str());
  std::printf("library: %.3f s, %.0f lines/s, peak RSS %ld KiB (%ld KiB before scoring)\n",
              library_seconds, lines / library_seconds, peak_rss_kib(RUSAGE_SELF), rss_after_writing);

  if (!nmt.empty()) {
    const std::string command = "\"" + nmt + "\" bleu -i \"" + hyp + "\" -r \"" + ref + "\" > /dev/null";
    start = std::chrono::steady_clock::now();
    const int status = std::system(command.c_str());
    const double cli_seconds = seconds_since(start);
    if (status != 0) {
      std::fprintf(stderr, "nmt bleu failed (%d)\n", status);
      return 1;
    }
    std::printf("nmt bleu (end to end): %.3f s, %.0f lines/s, peak RSS %ld KiB\n", cli_seconds,
                lines / cli_seconds, peak_rss_kib(RUSAGE_CHILDREN));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
