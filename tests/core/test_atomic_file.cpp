#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"

namespace fs = std::filesystem;

BOOST_AUTO_TEST_CASE(atomic_write_replaces_content_and_leaves_no_temp_file) {
  const fs::path dir = fs::temp_directory_path() / "nmt_test_atomic";
  fs::remove_all(dir);
  fs::create_directories(dir);
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
  const fs::path dir = fs::temp_directory_path() / "nmt_test_atomic_stale";
  fs::remove_all(dir);
  fs::create_directories(dir);
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
  const fs::path dir = fs::temp_directory_path() / "nmt_test_atomic_link";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string victim = (dir / "victim.txt").string(), path = (dir / "m.nmt").string();
  nmt::write_file_atomically(victim, "precious");
  fs::create_symlink(victim, path);
  nmt::write_file_atomically(path, "model");
  BOOST_TEST(nmt::read_file(victim) == "precious");
  BOOST_TEST(!fs::is_symlink(path));
  BOOST_TEST(nmt::read_file(path) == "model");
  fs::remove_all(dir);
}
