#pragma once
// Files a user made are never left half-written: content goes to a temporary
// file beside the target, is flushed to disk, then renamed over the target.

#include <functional>
#include <string>
#include <string_view>

namespace nmt {

// Writes bytes to path atomically (temp file, fsync, rename). Throws nmt::Error.
// The temporary file, PATH.tmp.PID.RANDOM, is created exclusively and never
// through a symbolic link; temporaries of PATH left by processes that died
// mid-write are removed first.
void write_file_atomically(const std::string& path, std::string_view bytes);

// The same for content made piece by piece: write_content calls its argument
// with each piece in order, so a large file (a checkpoint) never has to be
// assembled in memory first.
using ByteSink = std::function<void(std::string_view)>;
void write_file_atomically(const std::string& path, const std::function<void(const ByteSink&)>& write_content);

// Creates PATH.tmp.PID.RANDOM exclusively, never through a link, after removing
// stale temporaries of PATH; returns its descriptor and sets temp to its name.
// Throws nmt::Error naming path.
int create_temporary_file(const std::string& path, std::string& temp);

// Removes PATH.tmp.PID.RANDOM files whose process PID is gone.
void remove_stale_temporaries(const std::string& path);

// Says a temporary from create_temporary_file() was renamed into place or
// removed, so an interrupt no longer removes it.
void release_temporary(const std::string& temp);

// From now on SIGINT, SIGTERM and SIGHUP remove the temporaries being written
// (those of create_temporary_file() not yet released), then end the process as
// the signal would have: an interrupted write leaves the old file and nothing
// beside it. A signal ignored when the process started (nohup) stays ignored.
// Safe to call from a signal handler (to hand the signals back to
// this cleanup). Temporaries are tracked for the thread that writes files.
void remove_temporaries_on_interrupt();

// What those handlers do, for a thread that takes signals with sigwait():
// removes the temporaries being written, then ends the process by
// signal_number (its default action, unblocked in the calling thread).
void remove_temporaries_and_end(int signal_number);

// Reads a whole file into memory. Throws nmt::Error naming the file.
std::string read_file(const std::string& path);

}  // namespace nmt
