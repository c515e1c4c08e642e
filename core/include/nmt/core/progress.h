#pragma once
// A progress line for long work: done/total, rate, ETA, plus caller fields.
// On a terminal it rewrites one line; otherwise (logs, pipes) it prints a line
// every `interval` seconds so log files stay short.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace nmt {

class ProgressLine {
 public:
  // total <= 0: unknown (no ETA). unit names what is counted ("lines", "steps").
  ProgressLine(std::string label, std::int64_t total, std::string unit, double interval_seconds = 10.0,
               std::FILE* out = stderr);

  // Shows progress if enough time has passed since the last line (or force).
  void update(std::int64_t done, const std::string& fields = "", bool force = false);
  // Prints the final line (always) and ends it with a newline.
  void finish(std::int64_t done, const std::string& fields = "");
  void set_quiet(bool quiet) { quiet_ = quiet; }

  // "1h02m", "3m05s", "12s"
  static std::string format_duration(double seconds);

 private:
  std::string render(std::int64_t done, const std::string& fields) const;

  std::string label_;
  std::int64_t total_;
  std::string unit_;
  double interval_;
  std::FILE* out_;
  bool terminal_;
  bool quiet_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_shown_;
  bool shown_ = false;
};

}  // namespace nmt
