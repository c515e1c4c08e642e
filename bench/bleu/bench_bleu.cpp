// Times `nmt bleu` for BLEU and chrF on a reproducible 100,000-line
// hypothesis/reference pair (about 25 words a line) on 1 thread and on all
// cores, runs interleaved and repeated (medians reported), with each run's
// peak RSS; and, given a way to run sacreBLEU, times it on the same files in
// the same run, prints the speed ratio and checks that the outputs agree.
// Without the nmt binary it times only the library (BLEU, one thread).
// Usage: bench_bleu [PATH_TO_NMT] [LINES] [--repeats N] [--sacrebleu "COMMAND"]
// COMMAND may also come from NMT_BENCH_SACREBLEU, e.g.
//   "PYTHONPATH=/work/sacrebleu-src python3 -m sacrebleu"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>
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

struct Run {
  double seconds = 0;
  long peak_rss_kib = 0;
};

// Runs a shell command; its own peak RSS comes from wait4, not summed over runs.
Run run_command(const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Run run{seconds_since(start), usage.ru_maxrss};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "failed: %s\n", command.c_str());
    std::exit(1);
  }
  return run;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// sacreBLEU's JSON and ours without the version, which is meant to differ.
nlohmann::json without_version(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text);
  json.erase("version");
  std::string signature = json["signature"];
  json["signature"] = signature.substr(0, signature.rfind("|version:"));
  return json;
}

void library_bleu(const std::string& hyp, const std::string& ref, int lines) {
  const auto start = std::chrono::steady_clock::now();
  nmt::eval::Bleu bleu;
  nmt::eval::AlignedLines input({hyp, ref});
  std::vector<int64_t> totals(bleu.stats_size(), 0), row(bleu.stats_size());
  std::vector<std::string_view> line;
  while (input.next(line)) {
    bleu.segment_stats(line[0], {line[1]}, row.data());
    for (std::size_t c = 0; c < row.size(); ++c) totals[c] += row[c];
  }
  const auto score = bleu.score(totals.data());
  const double seconds = seconds_since(start);
  std::printf("BLEU = %s %s\n", nmt::eval::format_fixed(score.score, 2).c_str(), score.verbose().c_str());
  std::printf("library, BLEU, 1 thread: %.3f s, %.0f lines/s\n", seconds, lines / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string sacrebleu = std::getenv("NMT_BENCH_SACREBLEU") ? std::getenv("NMT_BENCH_SACREBLEU") : "";
  int repeats = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--sacrebleu" && i + 1 < argc) sacrebleu = argv[++i];
    else if (arg == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    else positional.push_back(arg);
  }
  const std::string nmt = positional.size() > 0 ? positional[0] : "";
  const int lines = positional.size() > 1 ? std::atoi(positional[1].c_str()) : 100000;
  const auto dir = std::filesystem::temp_directory_path() / ("nmt_bench_bleu_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string hyp = (dir / "hyp.txt").string(), ref = (dir / "ref.txt").string();
  write_corpus(hyp, ref, lines);
  std::printf("corpus: %d lines (%s)\n", lines, dir.c_str());
  library_bleu(hyp, ref, lines);
  if (nmt.empty()) {
    std::filesystem::remove_all(dir);
    return 0;
  }

  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const std::vector<std::string> metrics{"bleu", "chrf"};
  std::vector<int> thread_counts{1};
  if (cores > 1) thread_counts.push_back(cores);
  // [metric][threads] -> seconds of each repeat, largest RSS.
  std::vector<std::vector<std::vector<double>>> seconds(metrics.size(),
                                                        std::vector<std::vector<double>>(thread_counts.size()));
  std::vector<std::vector<long>> rss(metrics.size(), std::vector<long>(thread_counts.size(), 0));
  const auto ours = [&](std::size_t m, int threads) {
    return (dir / ("nmt_" + metrics[m] + "_" + std::to_string(threads) + ".json")).string();
  };
  for (int r = 0; r < repeats; ++r) {
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      for (std::size_t t = 0; t < thread_counts.size(); ++t) {
        const Run run = run_command("\"" + nmt + "\" bleu \"" + ref + "\" -i \"" + hyp + "\" -m " + metrics[m] +
                                    " -w 4 --threads " + std::to_string(thread_counts[t]) + " > \"" +
                                    ours(m, thread_counts[t]) + "\"");
        seconds[m][t].push_back(run.seconds);
        rss[m][t] = std::max(rss[m][t], run.peak_rss_kib);
      }
    }
  }
  std::printf("nmt bleu, end to end, median of %d interleaved runs:\n", repeats);
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    for (std::size_t t = 0; t < thread_counts.size(); ++t) {
      const double s = median(seconds[m][t]);
      std::printf("  %-4s %2d thread%s: %.3f s, %.0f lines/s, peak RSS %ld KiB\n", metrics[m].c_str(),
                  thread_counts[t], thread_counts[t] == 1 ? " " : "s", s, lines / s, rss[m][t]);
    }
    if (read_file(ours(m, 1)) != read_file(ours(m, thread_counts.back())))
      std::printf("  %s: output differs between 1 and %d threads!\n", metrics[m].c_str(), thread_counts.back());
  }

  if (sacrebleu.empty()) {
    std::printf("sacreBLEU: not measured (it is not in Debian bookworm). To get it: apt-get install "
                "python3-regex python3-tabulate python3-numpy python3-colorama python3-lxml "
                "python3-portalocker; git clone https://github.com/mjpost/sacrebleu and check out "
                "v2.4.3; echo '__version__ = \"2.4.3\"' > sacrebleu/sacrebleu/version.py; then pass "
                "--sacrebleu \"PYTHONPATH=/path/to/sacrebleu python3 -m sacrebleu\" (or set "
                "NMT_BENCH_SACREBLEU)\n");
  } else {
    std::printf("sacreBLEU (%s), one run each, ratio against nmt on %d thread%s:\n", sacrebleu.c_str(),
                thread_counts.back(), thread_counts.back() == 1 ? "" : "s");
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const std::string theirs = (dir / ("sacrebleu_" + metrics[m] + ".json")).string();
      const Run run = run_command(sacrebleu + " \"" + ref + "\" -i \"" + hyp + "\" -m " + metrics[m] +
                                  " -w 4 > \"" + theirs + "\"");
      const bool same = without_version(read_file(theirs)) ==
                        without_version(read_file(ours(m, thread_counts.back())));
      std::printf("  %-4s %.3f s, peak RSS %ld KiB: nmt is %.1fx faster; output %s\n", metrics[m].c_str(),
                  run.seconds, run.peak_rss_kib, run.seconds / median(seconds[m].back()),
                  same ? "identical (but the version)" : "DIFFERS");
      if (!same) std::printf("    sacreBLEU: %s    nmt:       %s", read_file(theirs).c_str(),
                             read_file(ours(m, thread_counts.back())).c_str());
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
