#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "nmt/core/model_file.h"

namespace {

nmt::ModelFileWriter sample_model() {
  nmt::ModelFileWriter writer;
  writer.add("config", R"({"hidden": 4})");
  const std::vector<float> weights{0.5f, -1.25f, 3.0e-8f, 7.0f, -0.0f, 1.0e30f};
  writer.add_floats("encoder/weights", {2, 3}, weights.data());
  return writer;
}

bool message_contains(const nmt::Error& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(model_file_round_trip_is_bit_exact) {
  const std::string bytes = sample_model().serialize();
  const auto reader = nmt::ModelFileReader::parse(bytes, "m.nmt");
  BOOST_TEST(reader.section("config") == R"({"hidden": 4})");
  std::vector<float> weights(6);
  reader.read_floats("encoder/weights", {2, 3}, weights.data());
  const std::vector<float> expected{0.5f, -1.25f, 3.0e-8f, 7.0f, -0.0f, 1.0e30f};
  BOOST_TEST(std::memcmp(weights.data(), expected.data(), 6 * sizeof(float)) == 0);
}

// Sections are views into the file's bytes: a reader copied or moved from
// one that is gone still reads them.
BOOST_AUTO_TEST_CASE(a_copied_or_moved_reader_reads_after_the_original_is_gone) {
  std::optional<nmt::ModelFileReader> original = nmt::ModelFileReader::parse(sample_model().serialize(), "m.nmt");
  const nmt::ModelFileReader copy = *original;
  const nmt::ModelFileReader moved = std::move(*original);
  original.reset();
  for (const auto* reader : {&copy, &moved}) {
    BOOST_TEST(reader->section("config") == R"({"hidden": 4})");
    std::vector<float> weights(6);
    reader->read_floats("encoder/weights", {2, 3}, weights.data());
    BOOST_TEST(weights[3] == 7.0f);
    BOOST_TEST((reader->tensor_shape("encoder/weights") == std::vector<std::int64_t>{2, 3}));
  }
}

BOOST_AUTO_TEST_CASE(save_writes_the_serialized_bytes_without_assembling_them) {
  const std::string path = (std::filesystem::temp_directory_path() / "nmt_test_model_file_save.nmt").string();
  sample_model().save(path);
  BOOST_TEST(nmt::read_file(path) == sample_model().serialize());
  const auto reader = nmt::ModelFileReader::load(path);  // checksummed in one piece there
  BOOST_TEST(reader.section("config") == R"({"hidden": 4})");
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(every_truncation_is_rejected) {
  const std::string bytes = sample_model().serialize();
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    BOOST_CHECK_THROW(nmt::ModelFileReader::parse(bytes.substr(0, size), "m.nmt"), nmt::Error);
  }
}

BOOST_AUTO_TEST_CASE(a_flipped_bit_fails_the_checksum) {
  std::string bytes = sample_model().serialize();
  bytes[bytes.size() / 2] ^= 0x10;
  BOOST_CHECK_EXCEPTION(nmt::ModelFileReader::parse(bytes, "m.nmt"), nmt::Error,
                        [](const nmt::Error& e) { return message_contains(e, "m.nmt: checksum"); });
}

BOOST_AUTO_TEST_CASE(wrong_shape_and_missing_section_are_named) {
  const auto reader = nmt::ModelFileReader::parse(sample_model().serialize(), "m.nmt");
  std::vector<float> values(6);
  BOOST_CHECK_EXCEPTION(reader.read_floats("encoder/weights", {3, 2}, values.data()), nmt::Error,
                        [](const nmt::Error& e) { return message_contains(e, "shape [2x3], expected [3x2]"); });
  BOOST_CHECK_EXCEPTION(reader.section("decoder/weights"), nmt::Error,
                        [](const nmt::Error& e) { return message_contains(e, "no section 'decoder/weights'"); });
}

BOOST_AUTO_TEST_CASE(other_files_and_versions_are_refused) {
  BOOST_CHECK_EXCEPTION(nmt::ModelFileReader::parse("hello world, not a model", "x.txt"), nmt::Error,
                        [](const nmt::Error& e) { return message_contains(e, "not an nmt model file"); });
  std::string bytes = sample_model().serialize();
  bytes[8] = 99;  // format version field
  BOOST_CHECK_EXCEPTION(nmt::ModelFileReader::parse(bytes, "m.nmt"), nmt::Error,
                        [](const nmt::Error& e) { return message_contains(e, "version 99 is not supported"); });
}

BOOST_AUTO_TEST_CASE(save_then_load_from_disk) {
  const std::string path = "/tmp/nmt_test_model_file.nmt";
  sample_model().save(path);
  const auto reader = nmt::ModelFileReader::load(path);
  BOOST_TEST(reader.section_names().size() == 2u);
  std::remove(path.c_str());
}
