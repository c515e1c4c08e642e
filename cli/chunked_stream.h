#pragma once
// The streaming loop of `nmt translate` and `nmt score`: input is read in
// chunks of a few batches, each chunk is processed and its output written and
// flushed before the next is read, so a file of any size goes through in
// bounded memory and output appears as work progresses.

#include <cstdint>
#include <string>
#include <vector>

#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"

namespace nmt::cli {

// Lines in a file, for a progress line with an ETA (a fast first pass); 0 for
// standard input, which cannot be read twice.
inline std::int64_t lines_in(const std::string& path) {
  if (is_std_stream(path)) return 0;
  LineReader counter(path);
  return static_cast<std::int64_t>(count_lines_to_end(counter));
}

// read(item) -> bool fills the next item (false at the end); process(chunk,
// first_index) writes the chunk's output to writer, first_index counting
// items from 0. Returns the number of items.
template <typename Item, typename Read, typename Process>
std::int64_t stream_in_chunks(std::size_t chunk_size, Read read, Process process, LineWriter& writer,
                              ProgressLine& progress) {
  std::vector<Item> chunk;
  std::int64_t done = 0;
  bool more = true;
  while (more) {
    chunk.clear();
    Item item;
    while (chunk.size() < chunk_size && (more = read(item))) chunk.push_back(std::move(item));
    if (!chunk.empty()) process(chunk, done);
    writer.flush();
    done += static_cast<std::int64_t>(chunk.size());
    progress.update(done);
  }
  writer.commit();
  progress.finish(done);
  return done;
}

}  // namespace nmt::cli
