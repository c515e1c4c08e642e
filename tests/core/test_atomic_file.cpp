#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include <filesystem>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"

namespace fs = std::filesystem;

namespace {

// An empty directory of this name under the system's temporary directory.
fs::path fresh_directory(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

BOOST_AUTO_TEST_CASE(atomic_write_replaces_content_and_leaves_no_temp_file) {
  const fs::path dir = fresh_directory("nmt_test_atomic");
  const std::string path = (dir / "model.bin").string();
  nmt::write_file_atomically(path, "first version");
  nmt::write_file_atomically(path, std::string("second\0version", 14));
  BOOST_TEST(nmt::read_file(path) == std::string("second\0version", 14));
  BOOST_TEST(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(atomic_write_into_missing_directory_fails_with_the_path) {
  try {
    nmt::write_file_atomically("/tmp/nmt_no_such_dir/x/model.bin", "data");
    BOOST_FAIL("write into a missing directory did not throw");
  } catch (const nmt::Error& e) {
    BOOST_TEST(std::string(e.what()).find("/tmp/nmt_no_such_dir/x/model.bin") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(temporaries_of_dead_writers_are_removed_and_live_ones_kept) {
  const fs::path dir = fresh_directory("nmt_test_atomic_stale");
  const std::string path = (dir / "m.nmt").string();
  // A process id no process has: beyond the kernel's pid_max (at most 2^22).
  const std::string dead = path + ".tmp.99999999.0badcafe";
  const std::string live = path + ".tmp." + std::to_string(::getpid()) + ".12345678";
  const std::string other = (dir / "other.nmt.tmp.99999999.0badcafe").string();
  const std::string not_ours = path + ".tmp.notes";
  for (const auto& file : {dead, live, other, not_ours}) nmt::write_file_atomically(file, "x");
  nmt::write_file_atomically(path, "model");
  BOOST_TEST(!fs::exists(dead));
  BOOST_TEST(fs::exists(live));       // its writer may still be at work
  BOOST_TEST(fs::exists(other));      // a temporary of another file
  BOOST_TEST(fs::exists(not_ours));   // not a temporary's name
  BOOST_TEST(nmt::read_file(path) == "model");
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_link_at_the_target_is_replaced_not_written_through) {
  const fs::path dir = fresh_directory("nmt_test_atomic_link");
  const std::string victim = (dir / "victim.txt").string(), path = (dir / "m.nmt").string();
  nmt::write_file_atomically(victim, "precious");
  fs::create_symlink(victim, path);
  nmt::write_file_atomically(path, "model");
  BOOST_TEST(nmt::read_file(victim) == "precious");
  BOOST_TEST(!fs::is_symlink(path));
  BOOST_TEST(nmt::read_file(path) == "model");
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(content_written_piece_by_piece_is_the_pieces_in_order) {
  const fs::path dir = fresh_directory("nmt_test_atomic_pieces");
  const std::string path = (dir / "m.nmt").string();
  const std::string large(3u << 20, 'z');  // beyond one write() of a pipe or small buffer
  nmt::write_file_atomically(path, [&](const nmt::ByteSink& sink) {
    sink("head|");
    sink(large);
    sink(std::string_view("\0|tail", 6));
  });
  BOOST_TEST(nmt::read_file(path) == "head|" + large + std::string("\0|tail", 6));
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(content_that_fails_midway_leaves_the_old_file_and_no_temporary) {
  const fs::path dir = fresh_directory("nmt_test_atomic_fail");
  const std::string path = (dir / "m.nmt").string();
  nmt::write_file_atomically(path, "old model");
  BOOST_CHECK_EXCEPTION(nmt::write_file_atomically(path,
                                                   [](const nmt::ByteSink& sink) {
                                                     sink("half of a new model");
                                                     throw nmt::Error("m.nmt", "weights are NaN");
                                                   }),
                        nmt::Error, [](const nmt::Error& e) { return std::string(e.what()) == "m.nmt: weights are NaN"; });
  BOOST_TEST(nmt::read_file(path) == "old model");
  BOOST_TEST(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

// A regular file is read in one call of its size; a pipe, whose size is not
// known, the stream way: both give every byte, and an empty file none.
BOOST_AUTO_TEST_CASE(read_file_reads_regular_files_empty_files_and_pipes_whole) {
  const fs::path dir = fresh_directory("nmt_test_read_file");
  const std::string large(3 * 1024 * 1024 + 7, 'w');
  const std::string path = (dir / "large.bin").string();
  nmt::write_file_atomically(path, large + std::string("\0end", 4));
  BOOST_TEST(nmt::read_file(path) == large + std::string("\0end", 4));
  const std::string empty = (dir / "empty").string();
  nmt::write_file_atomically(empty, "");
  BOOST_TEST(nmt::read_file(empty).empty());
  const std::string fifo = (dir / "fifo").string();
  BOOST_TEST_REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const pid_t writer = fork();
  BOOST_TEST_REQUIRE(writer >= 0);
  if (writer == 0) {
    FILE* out = std::fopen(fifo.c_str(), "wb");
    const bool written = out && std::fwrite(large.data(), 1, large.size(), out) == large.size();
    if (out) std::fclose(out);
    _exit(written ? 0 : 1);
  }
  BOOST_TEST(nmt::read_file(fifo) == large);
  int status = 0;
  waitpid(writer, &status, 0);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  fs::remove_all(dir);
}
