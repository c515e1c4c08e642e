// Checkpoint averaging: the mean of the weights, checked against a mean
// computed here from the files' tensors, and refusals of files that do not
// belong together.

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "nmt/core/error.h"
#include "nmt/core/model_file.h"
#include "nmt/model/average.h"
#include "nmt/model/seq2seq_model.h"

namespace {

nmt::ModelConfig small_config(int hidden_size = 6) {
  nmt::ModelConfig config;
  config.source_vocab_size = 12;
  config.target_vocab_size = 10;
  config.embedding_size = 4;
  config.hidden_size = hidden_size;
  config.layers = 2;
  config.dropout = 0.0f;
  return config;
}

// A fresh folder, removed with everything in it at the end of a test.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / "nmt_test_average";
  TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

// A checkpoint-like file: the sections a model has (the vocabularies are
// stand-in bytes: averaging compares them, it does not read them), optimizer
// sections and the training record.
nmt::ModelFileWriter model_file(const nmt::ModelConfig& config, std::uint64_t seed,
                                const std::string& target_vocab = "target spm bytes") {
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, config);
  model.initialize(seed);
  nmt::ModelFileWriter file;
  file.add("config", config.to_json());
  file.add("spm/source", "source spm bytes");
  file.add("spm/target", target_vocab);
  model.save_weights(file);
  file.add("optimizer/method", "adam");
  file.add("optimizer/steps", std::to_string(seed * 10));
  for (const auto& p : model.parameters())
    file.add_floats("optimizer/m/" + p.name, {static_cast<std::int64_t>(p.size)}, p.value);
  file.add("training/config", "seed: " + std::to_string(seed) + "\n");
  file.add("training/state", "{\"step\": " + std::to_string(seed * 10) + "}");
  return file;
}

std::vector<float> tensor(const nmt::ModelFileReader& file, const std::string& name) {
  const auto shape = file.tensor_shape(name);
  std::vector<float> values(static_cast<std::size_t>(shape.at(0)));
  file.read_floats(name, shape, values.data());
  return values;
}

std::vector<std::string> params_of(const nmt::ModelFileReader& file) {
  std::vector<std::string> names;
  for (const auto& name : file.section_names())
    if (name.rfind("param/", 0) == 0) names.push_back(name);
  return names;
}

nmt::ModelFileReader averaged(const std::vector<std::string>& paths) {
  return nmt::ModelFileReader::parse(nmt::average_model_files(paths).serialize(), "averaged");
}

// Runs the averaging, which must fail with a message containing every one of `parts`.
void expect_refusal(const std::vector<std::string>& paths, const std::vector<std::string>& parts) {
  try {
    nmt::average_model_files(paths);
    BOOST_ERROR("averaging was not refused");
  } catch (const nmt::Error& e) {
    const std::string message = e.what();
    for (const auto& part : parts) BOOST_TEST(message.find(part) != std::string::npos, "'" << part << "' not in: " << message);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(average)

BOOST_AUTO_TEST_CASE(average_of_one_file_twice_is_that_file_bit_for_bit) {
  TempDir dir;
  const auto path = dir.file("a.nmt");
  model_file(small_config(), 1).save(path);
  const auto original = nmt::ModelFileReader::load(path);
  const auto mean = averaged({path, path});
  BOOST_TEST(params_of(mean) == params_of(original));
  BOOST_TEST(!params_of(mean).empty());
  for (const auto& name : params_of(original)) BOOST_TEST(mean.section(name) == original.section(name), name);
  // A model again: the architecture loads it, and there is no optimizer state.
  nmt::DnnContext dnn;
  nmt::Seq2SeqModel model(dnn, nmt::ModelConfig::from_json(mean.section("config"), mean.name()));
  model.load_weights(mean);
  for (const auto& name : mean.section_names()) BOOST_TEST(name.rfind("optimizer/", 0) != 0, name);
}

BOOST_AUTO_TEST_CASE(average_is_the_elementwise_mean) {
  TempDir dir;
  const auto a = dir.file("a.nmt"), b = dir.file("b.nmt");
  model_file(small_config(), 1).save(a);
  model_file(small_config(), 2).save(b);
  const auto file_a = nmt::ModelFileReader::load(a), file_b = nmt::ModelFileReader::load(b);
  const auto mean = averaged({a, b, b});
  std::size_t differing = 0;
  for (const auto& name : params_of(file_a)) {
    const auto x = tensor(file_a, name), y = tensor(file_b, name), got = tensor(mean, name);
    BOOST_REQUIRE_EQUAL(got.size(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double want = (static_cast<double>(x[i]) + 2.0 * static_cast<double>(y[i])) / 3.0;
      BOOST_TEST(got[i] == static_cast<float>(want), name << "[" << i << "]");
      if (x[i] != y[i]) ++differing;
    }
  }
  BOOST_TEST(differing > 100u);  // the two models really differ
  // The first file's configuration and training record, and where it came from.
  BOOST_TEST(mean.section("config") == file_a.section("config"));
  BOOST_TEST(mean.section("spm/source") == file_a.section("spm/source"));
  BOOST_TEST(mean.section("training/config") == file_a.section("training/config"));
  BOOST_TEST(mean.section("training/state") == file_a.section("training/state"));
  BOOST_TEST(mean.section(nmt::kAveragedFromSection) == "[\"" + a + "\",\"" + b + "\",\"" + b + "\"]");
}

BOOST_AUTO_TEST_CASE(models_that_differ_only_in_dropout_average) {
  TempDir dir;
  const auto a = dir.file("a.nmt"), b = dir.file("b.nmt");
  auto other = small_config();
  other.dropout = 0.3f;
  model_file(small_config(), 1).save(a);
  model_file(other, 2).save(b);
  const auto mean = averaged({a, b});
  BOOST_TEST(mean.section("config") == nmt::ModelFileReader::load(a).section("config"));
  BOOST_TEST(!params_of(mean).empty());
}

BOOST_AUTO_TEST_CASE(one_checkpoint_becomes_a_plain_model) {
  TempDir dir;
  const auto path = dir.file("a.nmt");
  model_file(small_config(), 3).save(path);
  const auto original = nmt::ModelFileReader::load(path);
  const auto model = averaged({path});
  for (const auto& name : params_of(original)) BOOST_TEST(model.section(name) == original.section(name), name);
  for (const auto& name : model.section_names()) BOOST_TEST(name.rfind("optimizer/", 0) != 0, name);
  BOOST_TEST(model.has("training/state"));
}

BOOST_AUTO_TEST_CASE(files_that_do_not_belong_together_are_refused) {
  TempDir dir;
  const auto a = dir.file("a.nmt"), wider = dir.file("wider.nmt"), other_vocab = dir.file("vocab.nmt"),
             missing_tensor = dir.file("missing.nmt"), reshaped = dir.file("reshaped.nmt"),
             extra_tensor = dir.file("extra.nmt");
  model_file(small_config(), 1).save(a);
  model_file(small_config(8), 1).save(wider);
  expect_refusal({a, wider}, {wider, "cannot average with " + a, "another architecture (hidden_size 8, not 6)"});
  model_file(small_config(), 1, "other target spm bytes").save(other_vocab);
  expect_refusal({a, other_vocab}, {other_vocab, "another target vocabulary"});

  // The same architecture, but the tensors of another file layout.
  const auto original = nmt::ModelFileReader::load(a);
  // A copy of a.nmt whose tensor `changed` is left out (size < 0) or replaced by (or added as) one of `size` values.
  const auto rewrite = [&](const std::string& path, const std::string& changed, std::int64_t size) {
    nmt::ModelFileWriter file;
    for (const auto& name : original.section_names())
      if (name != changed) file.add(name, original.section(name));
    if (size >= 0) file.add_floats(changed, {size}, std::vector<float>(static_cast<std::size_t>(size)).data());
    file.save(path);
  };
  const auto first_param = params_of(original).front();
  rewrite(missing_tensor, first_param, -1);
  expect_refusal({a, missing_tensor}, {missing_tensor, "no tensor '" + first_param + "'"});
  const auto shape = original.tensor_shape(first_param);
  rewrite(reshaped, first_param, shape.at(0) + 1);
  expect_refusal({a, reshaped}, {reshaped, "'" + first_param + "' has shape [" + std::to_string(shape.at(0) + 1) +
                                               "], not [" + std::to_string(shape.at(0)) + "]"});
  rewrite(extra_tensor, "param/extra", 3);
  expect_refusal({a, extra_tensor}, {extra_tensor, "'param/extra' that the first file lacks"});

  expect_refusal({a, dir.file("nope.nmt")}, {dir.file("nope.nmt")});
  BOOST_CHECK_THROW(nmt::average_model_files({}), nmt::Error);
}

BOOST_AUTO_TEST_CASE(tensor_shape_refuses_a_section_of_the_wrong_size) {
  nmt::ModelFileWriter writer;
  const std::vector<float> values(6, 1.0f);
  writer.add_floats("param/good", {2, 3}, values.data());
  std::string bad;
  const std::uint32_t rank = 1;
  const std::uint64_t dim = 7;  // but 6 values follow
  bad.append(reinterpret_cast<const char*>(&rank), sizeof rank);
  bad.append(reinterpret_cast<const char*>(&dim), sizeof dim);
  bad.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  writer.add("param/bad", bad);
  const auto file = nmt::ModelFileReader::parse(writer.serialize(), "shapes.nmt");
  BOOST_TEST(file.tensor_shape("param/good") == (std::vector<std::int64_t>{2, 3}));
  BOOST_CHECK_EXCEPTION(file.tensor_shape("param/bad"), nmt::Error, [](const nmt::Error& e) {
    return std::string(e.what()) == "shapes.nmt: tensor 'param/bad' of shape [7] does not fit its 36-byte section";
  });
}

BOOST_AUTO_TEST_CASE(reader_exposes_the_stored_checksum_and_version) {
  nmt::ModelFileWriter writer;
  writer.add("config", "{}");
  const auto bytes = writer.serialize();
  std::uint64_t last_eight;
  std::memcpy(&last_eight, bytes.data() + bytes.size() - sizeof last_eight, sizeof last_eight);
  const auto file = nmt::ModelFileReader::parse(bytes, "m.nmt");
  BOOST_TEST(file.checksum() == last_eight);
  BOOST_TEST(file.format_version() == nmt::kModelFormatVersion);
}

BOOST_AUTO_TEST_SUITE_END()
