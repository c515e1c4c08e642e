#include "nmt/decoder/decoder_state.h"

#include <algorithm>
#include <string>

#include "nmt/core/error.h"

namespace nmt {

namespace {

// into row r = from row origins[r]; into is resized to [origins.size(), H].
void gather_rows(const Tensor& from, const std::vector<int>& origins, Tensor& into) {
  const int64_t width = from.dim(1);
  into.resize({static_cast<int64_t>(origins.size()), width});
  for (std::size_t r = 0; r < origins.size(); ++r) {
    const float* row = from.data() + origins[r] * width;
    std::copy(row, row + width, into.data() + static_cast<int64_t>(r) * width);
  }
}

}  // namespace

int DecoderState::source_length(int r) const {
  if (!source) throw Error("DecoderState: no attended source");
  return source->lengths.at(static_cast<std::size_t>(source_rows.at(static_cast<std::size_t>(r))));
}

void DecoderState::gather(const std::vector<int>& origins, DecoderState& into) const {
  if (&into == this) throw Error("DecoderState::gather into itself");
  const int count = rows();
  for (const int origin : origins)
    if (origin < 0 || origin >= count)
      throw Error("DecoderState::gather: row " + std::to_string(origin) + " of " + std::to_string(count));
  into.h.resize(h.size());
  into.c.resize(c.size());
  for (std::size_t l = 0; l < h.size(); ++l) {
    gather_rows(h[l], origins, into.h[l]);
    gather_rows(c[l], origins, into.c[l]);
  }
  into.source = source;
  into.source_rows.resize(origins.size());
  for (std::size_t r = 0; r < origins.size(); ++r)
    into.source_rows[r] = source_rows[static_cast<std::size_t>(origins[r])];
}

int compacted_row_count(int live) {
  if (live < 1) throw Error("compacted_row_count: " + std::to_string(live) + " live rows");
  int power = 1;
  while (power * 2 <= live) power *= 2;
  if (power == live) return live;
  return live <= power + power / 2 ? power + power / 2 : power * 2;
}

}  // namespace nmt
