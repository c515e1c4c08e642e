#include "nmt/core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

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

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(path, "cannot create temporary file " + temp + ": " + errno_text());
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      const std::string reason = errno_text();
      ::close(fd);
      ::unlink(temp.c_str());
      throw Error(path, "write failed: " + reason);
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = errno_text();
    ::unlink(temp.c_str());
    throw Error(path, "cannot flush to disk: " + reason);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = errno_text();
    ::unlink(temp.c_str());
    throw Error(path, "cannot rename temporary file into place: " + reason);
  }
  const int dir = ::open(parent_directory(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open for reading (missing or unreadable)");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error(path, "read error");
  return content.str();
}

}  // namespace nmt
