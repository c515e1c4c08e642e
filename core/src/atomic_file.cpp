#include "nmt/core/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "nmt/core/error.h"

namespace nmt {

namespace {

std::string errno_text() { return std::strerror(errno); }

// The directory holding path, so its entry (the rename) can be made durable too.
std::string parent_directory(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Temporary files are named PATH.tmp.PID.RANDOM: created exclusively and never
// through a link (O_EXCL | O_NOFOLLOW), so a file or link planted at a
// predictable name is never written through, and a writer killed mid-save can
// be told from one still writing by its process id.
constexpr const char* kTempMarker = ".tmp.";

std::string file_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The process id in NAME.tmp.PID.RANDOM (a temporary of `name`), or 0.
pid_t temporary_owner(const std::string& entry, const std::string& name) {
  const std::string prefix = name + kTempMarker;
  if (entry.compare(0, prefix.size(), prefix) != 0) return 0;
  const std::string rest = entry.substr(prefix.size());
  const auto dot = rest.find('.');
  if (dot == 0 || dot == std::string::npos || dot + 1 == rest.size()) return 0;
  for (std::size_t i = 0; i < rest.size(); ++i)
    if (i != dot && !std::isxdigit(static_cast<unsigned char>(rest[i]))) return 0;
  for (std::size_t i = 0; i < dot; ++i)
    if (!std::isdigit(static_cast<unsigned char>(rest[i]))) return 0;
  return static_cast<pid_t>(std::stol(rest.substr(0, dot)));
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

int create_temporary(const std::string& path, std::string& temp) {
  static std::mt19937_64 random{std::random_device{}()};
  for (int attempt = 0; attempt < 100; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "%ld.%08llx", static_cast<long>(::getpid()),
                  static_cast<unsigned long long>(random() & 0xffffffffULL));
    temp = path + kTempMarker + suffix;
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

// The temporaries an interrupt removes. Fixed slots, because the signal
// handler may neither allocate nor take locks; a name that does not fit is left
// to remove_stale_temporaries() of the next write.
constexpr int kTrackedTemporaries = 16;
char tracked_names[kTrackedTemporaries][4096];
volatile std::sig_atomic_t tracked[kTrackedTemporaries] = {};

void track_temporary(const std::string& temp) {
  if (temp.size() >= sizeof tracked_names[0]) return;
  for (int i = 0; i < kTrackedTemporaries; ++i) {
    if (tracked[i]) continue;
    std::memcpy(tracked_names[i], temp.c_str(), temp.size() + 1);
    tracked[i] = 1;
    return;
  }
}

void remove_tracked_and_end(int signal_number) {
  for (int i = 0; i < kTrackedTemporaries; ++i)
    if (tracked[i]) ::unlink(tracked_names[i]);
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  ::sigaction(signal_number, &action, nullptr);
  ::raise(signal_number);
}

}  // namespace

void release_temporary(const std::string& temp) {
  for (int i = 0; i < kTrackedTemporaries; ++i)
    if (tracked[i] && temp == tracked_names[i]) tracked[i] = 0;
}

void remove_temporaries_and_end(int signal_number) {
  sigset_t signal;
  sigemptyset(&signal);
  sigaddset(&signal, signal_number);
  ::pthread_sigmask(SIG_UNBLOCK, &signal, nullptr);
  remove_tracked_and_end(signal_number);
}

void remove_temporaries_on_interrupt() {
  struct sigaction action {};
  action.sa_handler = remove_tracked_and_end;
  sigemptyset(&action.sa_mask);
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal the process was started ignoring (nohup, a script's background
    // job) stays ignored.
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
    ::sigaction(signal_number, &action, nullptr);
  }
}

void remove_stale_temporaries(const std::string& path) {
  const std::string name = file_name(path);
  DIR* dir = ::opendir(parent_directory(path).c_str());
  if (!dir) return;
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(dir)) {
    const pid_t owner = temporary_owner(entry->d_name, name);
    if (owner > 0 && !process_alive(owner)) stale.push_back(entry->d_name);
  }
  ::closedir(dir);
  for (const auto& entry : stale) ::unlink((parent_directory(path) + "/" + entry).c_str());
}

int create_temporary_file(const std::string& path, std::string& temp) {
  remove_stale_temporaries(path);
  const int fd = create_temporary(path, temp);
  if (fd < 0) throw Error(path, "cannot create temporary file " + temp + ": " + errno_text());
  track_temporary(temp);
  return fd;
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  write_file_atomically(path, [bytes](const ByteSink& sink) { sink(bytes); });
}

void write_file_atomically(const std::string& path, const std::function<void(const ByteSink&)>& write_content) {
  std::string temp;
  const int fd = create_temporary_file(path, temp);
  const auto remove_temporary = [&] {
    ::unlink(temp.c_str());
    release_temporary(temp);
  };
  const ByteSink sink = [&](std::string_view bytes) {
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t written = ::write(fd, data, left);
      if (written < 0) {
        if (errno == EINTR) continue;
        throw Error(path, "write failed: " + errno_text());
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  };
  try {
    write_content(sink);
  } catch (...) {  // a failed write, or the content's own error: nothing is left behind
    ::close(fd);
    remove_temporary();
    throw;
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = errno_text();
    remove_temporary();
    throw Error(path, "cannot flush to disk: " + reason);
  }
  const bool renamed = std::rename(temp.c_str(), path.c_str()) == 0;
  const std::string reason = errno_text();
  if (!renamed) ::unlink(temp.c_str());
  release_temporary(temp);
  if (!renamed) throw Error(path, "cannot rename temporary file into place: " + reason);
  const int dir = ::open(parent_directory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::string read_file(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) throw Error(path, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open for reading (missing or unreadable)");
  // A regular file in one read of its size: a stream copy reads it 8 KiB at
  // a time into a buffer that grows by copying (a 30 MB model took 3,700
  // reads and three copies).
  std::string content;
  const auto size = std::filesystem::is_regular_file(path, error) ? std::filesystem::file_size(path, error) : 0;
  if (!error && size > 0) {
    content.resize(static_cast<std::size_t>(size));
    in.read(content.data(), static_cast<std::streamsize>(size));
    content.resize(static_cast<std::size_t>(in.gcount()));
  }
  // Whatever else there is: a file that grew, or one whose size is not known.
  if (!in.eof() && !in.bad()) {
    std::ostringstream rest;
    rest << in.rdbuf();
    content += rest.str();
  }
  if (in.bad()) throw Error(path, "read error");
  return content;
}

}  // namespace nmt
