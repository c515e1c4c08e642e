#include <boost/test/unit_test.hpp>

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
