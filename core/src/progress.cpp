#include "nmt/core/progress.h"

#include <unistd.h>

#include <cmath>

namespace nmt {

namespace {
double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}
}  // namespace

ProgressLine::ProgressLine(std::string label, std::int64_t total, std::string unit,
                           double interval_seconds, std::FILE* out)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      out_(out),
      terminal_(::isatty(::fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_shown_(start_) {
  // A terminal line is cheap to rewrite; refresh it often.
  interval_ = terminal_ ? std::min(interval_seconds, 0.5) : interval_seconds;
}

std::string ProgressLine::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (total >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm", total / 3600, (total % 3600) / 60);
  else if (total >= 60)
    std::snprintf(text, sizeof text, "%lldm%02llds", total / 60, total % 60);
  else
    std::snprintf(text, sizeof text, "%llds", total);
  return text;
}

std::string ProgressLine::render(std::int64_t done, const std::string& fields) const {
  const double elapsed = seconds_between(start_, std::chrono::steady_clock::now());
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  char head[160];
  if (total_ > 0) {
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
    std::snprintf(head, sizeof head, "%s %lld/%lld %s (%.0f%%) | %.1f %s/s | elapsed %s | ETA %s",
                  label_.c_str(), static_cast<long long>(done), static_cast<long long>(total_),
                  unit_.c_str(), 100.0 * static_cast<double>(done) / static_cast<double>(total_), rate,
                  unit_.c_str(), format_duration(elapsed).c_str(), format_duration(eta).c_str());
  } else {
    std::snprintf(head, sizeof head, "%s %lld %s | %.1f %s/s | elapsed %s", label_.c_str(),
                  static_cast<long long>(done), unit_.c_str(), rate, unit_.c_str(),
                  format_duration(elapsed).c_str());
  }
  return fields.empty() ? head : std::string(head) + " | " + fields;
}

void ProgressLine::update(std::int64_t done, const std::string& fields, bool force) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && seconds_between(last_shown_, now) < interval_) return;
  last_shown_ = now;
  shown_ = true;
  const std::string line = render(done, fields);
  if (terminal_)
    std::fprintf(out_, "\r\033[K%s", line.c_str());
  else
    std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
}

void ProgressLine::finish(std::int64_t done, const std::string& fields) {
  if (quiet_) return;
  const std::string line = render(done, fields);
  std::fprintf(out_, terminal_ ? "\r\033[K%s\n" : "%s\n", line.c_str());
  std::fflush(out_);
}

}  // namespace nmt
