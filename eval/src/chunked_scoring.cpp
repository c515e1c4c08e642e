#include "nmt/eval/chunked_scoring.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

namespace nmt::eval {

namespace {

// Text beyond this starts a new chunk even before chunk_lines lines.
constexpr std::size_t kChunkBytes = std::size_t{1} << 18;

// Consecutive lines of every file in one buffer, and their statistics.
struct Chunk {
  std::size_t first_line = 0;  // 1-based
  std::size_t lines = 0;
  std::string bytes;
  std::vector<std::size_t> ends;  // [line * files + file]: end of that line in bytes
  std::vector<int64_t> rows;      // [line * width ...]
  std::exception_ptr error;       // from a metric
  bool scored = false;

  void clear(std::size_t first) {
    first_line = first;
    lines = 0;
    bytes.clear();
    ends.clear();
    error = nullptr;
    scored = false;
  }
  std::string_view line(std::size_t l, std::size_t file, std::size_t files) const {
    const std::size_t i = l * files + file;
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(begin, ends[i] - begin);
  }
};

// The state the reader, the scorers and the caller share, under one mutex.
class Pipeline {
 public:
  Pipeline(AlignedLines& input, const std::vector<std::unique_ptr<Metric>>& metrics,
           const ChunkedScoring& options, const LineCheck& check)
      : input_(input), metrics_(metrics), options_(options), check_(check),
        offsets_(row_offsets(metrics, options.num_systems)),
        threads_(scoring_threads(options.threads)),
        chunks_(2 * static_cast<std::size_t>(threads_) + 2) {
    for (auto& chunk : chunks_) free_.push_back(&chunk);
  }

  ~Pipeline() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  void start() {
    workers_.emplace_back([this] { read(); });
    for (int t = 0; t < threads_; ++t) workers_.emplace_back([this] { score(); });
  }

  // The next chunk in line order once scored; null after the last one.
  Chunk* next_scored() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] {
      return (!in_order_.empty() && in_order_.front()->scored) || (in_order_.empty() && read_all_);
    });
    if (in_order_.empty()) {
      if (read_error_) std::rethrow_exception(read_error_);
      return nullptr;
    }
    Chunk* chunk = in_order_.front();
    in_order_.pop_front();
    if (chunk->error) std::rethrow_exception(chunk->error);
    return chunk;
  }

  void recycle(Chunk* chunk) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(chunk);
    }
    changed_.notify_all();
  }

  std::size_t files() const { return files_; }
  std::size_t width() const { return offsets_.back(); }

 private:
  void read() {
    std::vector<std::string_view> line;
    std::size_t next_line = 1;
    for (;;) {
      Chunk* chunk = nullptr;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || !free_.empty(); });
        if (stopping_) return;
        chunk = free_.front();
        free_.pop_front();
      }
      chunk->clear(next_line);
      std::exception_ptr error;
      bool ended = false;
      try {
        while (chunk->lines < options_.chunk_lines && chunk->bytes.size() < kChunkBytes) {
          if (!input_.next(line)) {
            ended = true;
            break;
          }
          check_(line, input_.line_number());
          for (const auto text : line) {
            chunk->bytes.append(text);
            chunk->ends.push_back(chunk->bytes.size());
          }
          ++chunk->lines;
        }
      } catch (...) {
        error = std::current_exception();
        ended = true;
      }
      next_line += chunk->lines;
      {
        std::lock_guard lock(mutex_);
        files_ = line.size();
        if (chunk->lines > 0) {
          in_order_.push_back(chunk);
          to_score_.push_back(chunk);
        } else {
          free_.push_back(chunk);
        }
        read_error_ = error;
        read_all_ = ended;
      }
      changed_.notify_all();
      if (ended) return;
    }
  }

  void score() {
    std::vector<std::unique_ptr<Metric>> metrics;
    for (const auto& metric : metrics_) metrics.push_back(metric->clone());
    std::vector<std::string_view> references;
    for (;;) {
      Chunk* chunk = nullptr;
      std::size_t files = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || !to_score_.empty() || read_all_; });
        if (stopping_ || to_score_.empty()) return;
        chunk = to_score_.front();
        to_score_.pop_front();
        files = files_;
      }
      try {
        score_chunk(*chunk, files, metrics, references);
      } catch (...) {
        chunk->error = std::current_exception();
      }
      {
        std::lock_guard lock(mutex_);
        chunk->scored = true;
      }
      changed_.notify_all();
    }
  }

  void score_chunk(Chunk& chunk, std::size_t files, std::vector<std::unique_ptr<Metric>>& metrics,
                   std::vector<std::string_view>& references) const {
    const std::size_t systems = options_.num_systems;
    chunk.rows.assign(chunk.lines * width(), 0);
    for (std::size_t l = 0; l < chunk.lines; ++l) {
      references.clear();
      for (std::size_t f = systems; f < files; ++f) references.push_back(chunk.line(l, f, files));
      int64_t* row = chunk.rows.data() + l * width();
      for (std::size_t s = 0; s < systems; ++s)
        for (std::size_t m = 0; m < metrics.size(); ++m)
          metrics[m]->segment_stats(chunk.line(l, s, files), references,
                                    row + offsets_[s * metrics.size() + m]);
    }
  }

  AlignedLines& input_;
  const std::vector<std::unique_ptr<Metric>>& metrics_;
  const ChunkedScoring& options_;
  const LineCheck& check_;
  const std::vector<std::size_t> offsets_;
  const int threads_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Chunk> chunks_;
  std::deque<Chunk*> free_, to_score_, in_order_;
  std::size_t files_ = 0;
  bool read_all_ = false, stopping_ = false;
  std::exception_ptr read_error_;
  std::vector<std::thread> workers_;  // the reader, then the scorers
};

}  // namespace

int scoring_threads(int threads) {
  if (threads > 0) return threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::vector<std::size_t> row_offsets(const std::vector<std::unique_ptr<Metric>>& metrics,
                                     std::size_t num_systems) {
  std::vector<std::size_t> offsets{0};
  for (std::size_t s = 0; s < num_systems; ++s)
    for (const auto& metric : metrics) offsets.push_back(offsets.back() + metric->stats_size());
  return offsets;
}

void score_chunked(AlignedLines& input, const std::vector<std::unique_ptr<Metric>>& metrics,
                   const ChunkedScoring& options, const LineCheck& check,
                   const LineStats& on_line) {
  Pipeline pipeline(input, metrics, options, check);
  pipeline.start();
  while (Chunk* chunk = pipeline.next_scored()) {
    for (std::size_t l = 0; l < chunk->lines; ++l)
      on_line(chunk->first_line + l, chunk->rows.data() + l * pipeline.width());
    pipeline.recycle(chunk);
  }
}

}  // namespace nmt::eval
