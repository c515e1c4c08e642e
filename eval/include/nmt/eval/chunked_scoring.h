#pragma once
// Per-segment statistics of line-aligned files on several threads: one thread
// reads chunks of lines ahead, `threads` threads score whole chunks (each with
// its own copies of the metrics), and the caller receives every line's
// statistics in line order. A few chunks are in flight at a time, so memory
// does not grow with the number of lines, and since each line's statistics
// are computed alone, they do not depend on the number of threads.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "nmt/eval/aligned_lines.h"
#include "nmt/eval/metric.h"

namespace nmt::eval {

struct ChunkedScoring {
  std::size_t num_systems = 1;  // the first files are systems, the others references
  // Scoring threads; 0: all cores.
  int threads = 0;
  // Lines a chunk holds at most (fewer when they are long).
  std::size_t chunk_lines = 1024;
};

// Called on the reading thread for every line read (the views of all files);
// may throw nmt::Error to refuse it.
using LineCheck = std::function<void(const std::vector<std::string_view>& line, std::size_t line_number)>;

// Called on the calling thread for every line, in order: its statistics for
// system s and metric m at row[offsets[s * metrics + m]], where offsets lay out
// each metric's stats_size() integers one after the other, systems first.
using LineStats = std::function<void(std::size_t line_number, const int64_t* row)>;

// The offsets of LineStats rows: [system * metrics.size() + metric], plus the
// row width at the end.
std::vector<std::size_t> row_offsets(const std::vector<std::unique_ptr<Metric>>& metrics,
                                     std::size_t num_systems);

// Reads every line of input. An error in reading or checking a line is thrown
// after the lines before it have been given to on_line, as reading them one by
// one would; an error thrown by on_line or a metric stops everything at once.
void score_chunked(AlignedLines& input, const std::vector<std::unique_ptr<Metric>>& metrics,
                   const ChunkedScoring& options, const LineCheck& check,
                   const LineStats& on_line);

// The number of threads `threads` stands for (0: all cores, at least 1).
int scoring_threads(int threads);

}  // namespace nmt::eval
