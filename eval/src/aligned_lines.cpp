#include "nmt/eval/aligned_lines.h"

#include "nmt/core/error.h"
#include "nmt/eval/python_text.h"

namespace nmt::eval {

AlignedLines::AlignedLines(const std::vector<std::string>& paths) : buffers_(paths.size()) {
  for (const auto& path : paths) readers_.push_back(std::make_unique<LineReader>(path));
}

bool AlignedLines::next(std::vector<std::string_view>& lines) {
  std::vector<bool> ended(readers_.size(), false);
  bool any_ended = false;
  bool all_ended = true;
  for (std::size_t f = 0; f < readers_.size(); ++f) {
    ended[f] = !readers_[f]->next(buffers_[f]);
    any_ended = any_ended || ended[f];
    all_ended = all_ended && ended[f];
  }
  if (all_ended) {
    if (line_number_ == 0)
      throw Error(readers_[0]->name(), "empty file: there are no lines to score");
    return false;
  }
  if (any_ended) report_length_mismatch(ended);

  ++line_number_;
  lines.resize(readers_.size());
  for (std::size_t f = 0; f < readers_.size(); ++f) {
    require_utf8(buffers_[f], readers_[f]->name(), line_number_);
    lines[f] = rstrip_python(buffers_[f]);
  }
  return true;
}

void AlignedLines::report_length_mismatch(const std::vector<bool>& ended) {
  // Count what is left of the longer files so the message gives real totals.
  std::vector<std::size_t> counts(readers_.size(), line_number_);
  std::string scratch;
  for (std::size_t f = 0; f < readers_.size(); ++f) {
    if (ended[f]) continue;
    counts[f] = readers_[f]->line_number();
    while (readers_[f]->next(scratch)) counts[f] = readers_[f]->line_number();
  }
  const std::size_t shorter = ended[0] ? 0 : [&] {
    std::size_t f = 0;
    while (!ended[f]) ++f;
    return f;
  }();
  std::size_t longer = 0;
  while (ended[longer]) ++longer;
  const std::string& first = readers_[0]->name();
  const std::size_t other = shorter == 0 ? longer : shorter;
  throw Error(readers_[longer]->name(), line_number_ + 1,
              "line counts differ: " + first + " has " + std::to_string(counts[0]) +
                  " lines but " + readers_[other]->name() + " has " +
                  std::to_string(counts[other]) + " (hypothesis and references must be aligned)");
}

}  // namespace nmt::eval
