#pragma once
// Per-segment sufficient statistics of a corpus, one fixed-width row per
// segment in one flat array: what resampling needs, and nothing more.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt::eval {

class StatsTable {
 public:
  explicit StatsTable(std::size_t width) : width_(width) {}

  std::size_t width() const { return width_; }
  std::size_t rows() const { return width_ == 0 ? 0 : data_.size() / width_; }

  // Appends a zeroed row and returns it for the metric to fill.
  int64_t* add_row() {
    data_.resize(data_.size() + width_, 0);
    return data_.data() + data_.size() - width_;
  }
  const int64_t* row(std::size_t i) const { return data_.data() + i * width_; }

  // Column sums over all rows.
  std::vector<int64_t> totals() const {
    std::vector<int64_t> sums(width_, 0);
    for (std::size_t r = 0; r < rows(); ++r)
      for (std::size_t c = 0; c < width_; ++c) sums[c] += row(r)[c];
    return sums;
  }

 private:
  std::size_t width_;
  std::vector<int64_t> data_;
};

}  // namespace nmt::eval
