#pragma once
// Files a user made are never left half-written: content goes to a temporary
// file beside the target, is flushed to disk, then renamed over the target.

#include <string>
#include <string_view>

namespace nmt {

// Writes bytes to path atomically (temp file, fsync, rename). Throws nmt::Error.
// The temporary file, PATH.tmp.PID.RANDOM, is created exclusively and never
// through a symbolic link; temporaries of PATH left by processes that died
// mid-write are removed first.
void write_file_atomically(const std::string& path, std::string_view bytes);

// Creates PATH.tmp.PID.RANDOM exclusively, never through a link, after removing
// stale temporaries of PATH; returns its descriptor and sets temp to its name.
// Throws nmt::Error naming path.
int create_temporary_file(const std::string& path, std::string& temp);

// Removes PATH.tmp.PID.RANDOM files whose process PID is gone.
void remove_stale_temporaries(const std::string& path);

// Reads a whole file into memory. Throws nmt::Error naming the file.
std::string read_file(const std::string& path);

}  // namespace nmt
