#pragma once
// Files a user made are never left half-written: content goes to a temporary
// file beside the target, is flushed to disk, then renamed over the target.

#include <string>
#include <string_view>

namespace nmt {

// Writes bytes to path atomically (temp file, fsync, rename). Throws nmt::Error.
void write_file_atomically(const std::string& path, std::string_view bytes);

// Reads a whole file into memory. Throws nmt::Error naming the file.
std::string read_file(const std::string& path);

}  // namespace nmt
