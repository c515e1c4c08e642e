// The BLEU/chrF tokenizers, metrics and corpus scorer on arbitrary text.
//
// Input: two option bytes, then lines ('\n'), taken in turn as hypothesis and
// reference(s). The metrics' contract is valid UTF-8 (`nmt bleu` refuses
// anything else before scoring, and translations are decoded text), so
// invalid sequences are replaced first, as `nmt translate` does.
//
// Checked: every tokenizer keeps text valid UTF-8, 13a/intl yield
// single-space-separated tokens, 13a the tokens of sacreBLEU's regular
// expressions over the whole line, and tokenize_words() the words of
// tokenize(); each segment's BLEU and chrF statistics are those of the literal
// implementations of reference_scoring.h; matches never exceed totals; every
// score (corpus, sentence, corpus_score()) is within [0, 100] up to rounding;
// chunked scoring on two threads gives every line the statistics it has
// alone; and a corpus scored against itself gets 100 wherever the metric defines it
// (BLEU with a 4-gram in the corpus, chrF with a non-whitespace character).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "memory_file.h"
#include "reference_scoring.h"
#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/aligned_lines.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/chrf.h"
#include "nmt/eval/chunked_scoring.h"
#include "nmt/eval/corpus_score.h"
#include "nmt/eval/python_text.h"
#include "nmt/eval/tokenizers.h"

namespace {

using nmt::eval::BleuStatsLayout;

// BLEU is sacreBLEU's to the last bit, and a perfect match is exp(log(100)),
// 100.00000000000004 there too: scores may exceed 100 by that rounding.
bool in_range(double score) { return std::isfinite(score) && score >= 0.0 && score <= 100.0 + 1e-9; }

void check_tokenizers(const std::string& line) {
  using nmt::eval::TokenizerKind;
  for (const auto kind : {TokenizerKind::kNone, TokenizerKind::k13a, TokenizerKind::kIntl, TokenizerKind::kChar}) {
    const std::string tokens = nmt::eval::tokenize(kind, line);
    NMT_FUZZ_CHECK(nmt::find_invalid_utf8(tokens) == std::string::npos);
    if (kind == TokenizerKind::k13a || kind == TokenizerKind::kIntl) NMT_FUZZ_CHECK(tokens == nmt::fuzz::join_words(tokens));
    if (kind == TokenizerKind::k13a) NMT_FUZZ_CHECK(tokens == nmt::fuzz::reference_13a(line));
    nmt::eval::TokenizedLine tokenized;
    nmt::eval::tokenize_words(kind, line, tokenized);
    NMT_FUZZ_CHECK(std::vector<std::string>(tokenized.words.begin(), tokenized.words.end()) ==
                   nmt::fuzz::words_of(tokens));
  }
}

// A segment's statistics as reference_scoring.h computes them.
using Expected = std::function<std::vector<int64_t>(std::string_view, const std::vector<std::string_view>&)>;

// Sums the statistics of every segment, checking each against `expected`
// and its own score.
std::vector<int64_t> corpus_stats(nmt::eval::Metric& metric, const std::vector<std::string>& hypotheses,
                                  const std::vector<std::vector<std::string>>& references, const Expected& expected) {
  std::vector<int64_t> totals(metric.stats_size(), 0), segment(metric.stats_size());
  std::vector<std::string_view> refs;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    refs.clear();
    for (const auto& set : references) refs.push_back(nmt::eval::rstrip_python(set[i]));
    const std::string_view hypothesis = nmt::eval::rstrip_python(hypotheses[i]);
    metric.segment_stats(hypothesis, refs, segment.data());
    for (const auto value : segment) NMT_FUZZ_CHECK(value >= 0);
    NMT_FUZZ_CHECK(segment == expected(hypothesis, refs));
    NMT_FUZZ_CHECK(in_range(metric.score_from_stats(segment.data())));
    for (std::size_t k = 0; k < totals.size(); ++k) totals[k] += segment[k];
  }
  NMT_FUZZ_CHECK(in_range(metric.score_from_stats(totals.data())));
  (void)metric.verbose(totals.data());
  return totals;
}

// `nmt bleu`'s path: the lines as files, read and scored in chunks of a few
// lines on two threads; every line's statistics must be those of scoring it
// alone. A NUL byte (valid UTF-8, so not replaced) is refused by the reader.
void check_chunked(const std::vector<std::string>& hypotheses, const std::vector<std::vector<std::string>>& references,
                   const nmt::eval::Metric& bleu, const nmt::eval::Metric& chrf, std::size_t chunk_lines) {
  static std::vector<std::unique_ptr<nmt::fuzz::MemoryFile>> files;
  std::vector<std::string> paths;
  for (std::size_t f = 0; f <= references.size(); ++f) {
    if (files.size() <= f) files.push_back(std::make_unique<nmt::fuzz::MemoryFile>());
    std::string text;
    for (const auto& line : f == 0 ? hypotheses : references[f - 1]) text += line + "\n";
    paths.push_back(files[f]->write(text));
  }
  std::vector<std::unique_ptr<nmt::eval::Metric>> metrics;
  metrics.push_back(bleu.clone());
  metrics.push_back(chrf.clone());
  const auto offsets = nmt::eval::row_offsets(metrics, 1);
  std::vector<std::vector<int64_t>> rows;
  try {
    nmt::eval::AlignedLines input(paths);
    nmt::eval::ChunkedScoring options;
    options.threads = 2;
    options.chunk_lines = chunk_lines;
    const auto accept = [](const std::vector<std::string_view>&, std::size_t) {};
    nmt::eval::score_chunked(input, metrics, options, accept, [&](std::size_t line, const int64_t* row) {
      NMT_FUZZ_CHECK(line == rows.size() + 1);
      rows.emplace_back(row, row + offsets.back());
    });
  } catch (const nmt::Error&) {
    bool nul = false;
    for (const auto& line : hypotheses) nul = nul || line.find('\0') != std::string::npos;
    for (const auto& set : references)
      for (const auto& line : set) nul = nul || line.find('\0') != std::string::npos;
    NMT_FUZZ_CHECK(nul);
    return;
  }
  NMT_FUZZ_CHECK(rows.size() == hypotheses.size());
  std::vector<std::string_view> refs;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    refs.clear();
    for (const auto& set : references) refs.push_back(nmt::eval::rstrip_python(set[i]));
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      std::vector<int64_t> alone(metrics[m]->stats_size());
      metrics[m]->segment_stats(nmt::eval::rstrip_python(hypotheses[i]), refs, alone.data());
      NMT_FUZZ_CHECK(std::equal(alone.begin(), alone.end(), rows[i].begin() + offsets[m]));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t bleu_bits = data[0], chrf_bits = data[1];
  const int num_refs = 1 + (bleu_bits >> 6) % 3;  // 1..3 reference sets

  std::vector<std::string> lines;
  const std::string text = nmt::replace_invalid_utf8(nmt::fuzz::as_text(data + 2, size - 2));
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (const auto& line : lines) check_tokenizers(line);

  const std::size_t segments = lines.size() / (1 + num_refs);
  std::vector<std::string> hypotheses;
  std::vector<std::vector<std::string>> references(num_refs);
  for (std::size_t i = 0; i < segments; ++i) {
    hypotheses.push_back(lines[i * (1 + num_refs)]);
    for (int r = 0; r < num_refs; ++r) references[r].push_back(lines[i * (1 + num_refs) + 1 + r]);
  }
  if (segments == 0) return 0;

  nmt::eval::BleuOptions bleu_options;
  bleu_options.tokenizer = static_cast<nmt::eval::TokenizerKind>(bleu_bits & 3);
  bleu_options.lowercase = bleu_bits & 4;
  bleu_options.smoothing = static_cast<nmt::eval::Smoothing>((bleu_bits >> 3) & 3);
  bleu_options.effective_order = bleu_bits & 32;
  nmt::eval::Bleu bleu(bleu_options);
  const Expected bleu_expected = [&](std::string_view hypothesis, const std::vector<std::string_view>& refs) {
    std::string hyp;
    std::vector<std::string> tokenized(refs.size());
    bleu.preprocess(hypothesis, hyp);
    for (std::size_t r = 0; r < refs.size(); ++r) bleu.preprocess(refs[r], tokenized[r]);
    return nmt::fuzz::reference_bleu_stats(hyp, tokenized);
  };
  const auto bleu_totals = corpus_stats(bleu, hypotheses, references, bleu_expected);
  for (int n = 0; n < nmt::eval::kBleuMaxOrder; ++n)
    NMT_FUZZ_CHECK(bleu_totals[BleuStatsLayout::kCorrect + n] <= bleu_totals[BleuStatsLayout::kTotal + n]);
  NMT_FUZZ_CHECK(in_range(nmt::eval::corpus_score(bleu, hypotheses, references[0])));

  nmt::eval::ChrfOptions chrf_options;
  chrf_options.char_order = 1 + chrf_bits % 6;
  chrf_options.word_order = (chrf_bits >> 3) % 5;
  chrf_options.lowercase = chrf_bits & 0x40;
  chrf_options.whitespace = chrf_bits & 0x80;
  chrf_options.eps_smoothing = (chrf_bits ^ bleu_bits) & 0x80;
  nmt::eval::Chrf chrf(chrf_options);
  const Expected chrf_expected = [&](std::string_view hypothesis, const std::vector<std::string_view>& refs) {
    return nmt::fuzz::reference_chrf_stats(chrf_options, hypothesis, refs);
  };
  const auto chrf_totals = corpus_stats(chrf, hypotheses, references, chrf_expected);
  for (int n = 0; n < chrf_options.char_order + chrf_options.word_order; ++n) {
    NMT_FUZZ_CHECK(chrf_totals[3 * n + 2] <= chrf_totals[3 * n]);
    NMT_FUZZ_CHECK(chrf_totals[3 * n + 2] <= chrf_totals[3 * n + 1]);
  }
  NMT_FUZZ_CHECK(in_range(nmt::eval::corpus_score(chrf, hypotheses, references[0])));

  check_chunked(hypotheses, references, bleu, chrf, 1 + chrf_bits % 3);

  // The hypotheses as their own reference.
  const std::vector<std::vector<std::string>> self{hypotheses};
  const auto bleu_self = corpus_stats(bleu, hypotheses, self, bleu_expected);
  if (bleu_self[BleuStatsLayout::kTotal + nmt::eval::kBleuMaxOrder - 1] > 0)
    NMT_FUZZ_CHECK(std::abs(bleu.score_from_stats(bleu_self.data()) - 100.0) < 1e-9);
  if (!chrf_options.eps_smoothing) {
    const auto chrf_self = corpus_stats(chrf, hypotheses, self, chrf_expected);
    if (chrf_self[0] > 0) NMT_FUZZ_CHECK(std::abs(chrf.score_from_stats(chrf_self.data()) - 100.0) < 1e-9);
  }
  return 0;
}
