#define BOOST_TEST_MODULE tokenization
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_model.h"
#include "nmt/tokenization/subword_trainer.h"

namespace fs = std::filesystem;

namespace {

// A small reproducible corpus with accented letters, trained once for all cases.
struct Corpus {
  fs::path dir = fs::temp_directory_path() / "nmt_test_tokenization";
  std::string path = (dir / "corpus.txt").string();
  std::string model_bytes;

  Corpus() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::vector<std::string> words{"the",   "cat",   "sat",  "on",   "mat",  "café",
                                         "naïve", "niño",  "über", "dog",  "ran",  "fast",
                                         "house", "green", "tree", "and",  "then", "slept"};
    std::mt19937 rng(7);
    std::ofstream out(path);
    for (int line = 0; line < 2000; ++line) {
      const int length = 3 + static_cast<int>(rng() % 10);
      for (int w = 0; w < length; ++w) out << (w ? " " : "") << words[rng() % words.size()];
      out << "\n";
    }
    out.close();
    nmt::SubwordTrainingOptions options;
    options.inputs = {path};
    options.vocab_size = 50;
    options.threads = 1;
    model_bytes = nmt::train_subword_model(options);
  }
  ~Corpus() { fs::remove_all(dir); }
};

Corpus& corpus() {
  static Corpus instance;
  return instance;
}

}  // namespace

BOOST_AUTO_TEST_CASE(trained_model_has_requested_size_and_reserved_ids) {
  const auto model = nmt::SubwordModel::from_bytes(corpus().model_bytes, "corpus");
  BOOST_TEST(model.vocab_size() == 50);
  BOOST_TEST(model.piece(nmt::kPadId) == "<pad>");
  BOOST_TEST(model.piece(nmt::kUnkId) == "<unk>");
  BOOST_TEST(model.piece(nmt::kBosId) == "<s>");
  BOOST_TEST(model.piece(nmt::kEosId) == "</s>");
}

BOOST_AUTO_TEST_CASE(encode_then_decode_gives_back_the_text) {
  const auto model = nmt::SubwordModel::from_bytes(corpus().model_bytes, "corpus");
  for (const std::string text : {"the cat sat on the mat", "naïve niño über café", "then slept"}) {
    const auto pieces = model.encode_pieces(text);
    BOOST_TEST(pieces.size() >= 2u);
    BOOST_TEST(model.decode_pieces(pieces) == text);
    const auto ids = model.encode_ids(text);
    BOOST_TEST(ids.size() == pieces.size());
    for (const int id : ids) BOOST_TEST(id != nmt::kUnkId);
    BOOST_TEST(model.decode_ids(ids) == text);
  }
}

BOOST_AUTO_TEST_CASE(empty_text_encodes_to_nothing) {
  const auto model = nmt::SubwordModel::from_bytes(corpus().model_bytes, "corpus");
  BOOST_TEST(model.encode_pieces("").empty());
  BOOST_TEST(model.decode_ids({}).empty());
}

BOOST_AUTO_TEST_CASE(bpe_model_trains_too) {
  nmt::SubwordTrainingOptions options;
  options.inputs = {corpus().path};
  options.vocab_size = 60;
  options.model_type = "bpe";
  options.threads = 1;
  const auto model = nmt::SubwordModel::from_bytes(nmt::train_subword_model(options), "bpe");
  BOOST_TEST(model.vocab_size() == 60);
  BOOST_TEST(model.decode_pieces(model.encode_pieces("the green tree")) == "the green tree");
}

BOOST_AUTO_TEST_CASE(truncated_model_is_rejected_with_its_name) {
  const std::string truncated = corpus().model_bytes.substr(0, corpus().model_bytes.size() / 3);
  BOOST_CHECK_EXCEPTION(nmt::SubwordModel::from_bytes(truncated, "spm.model"), nmt::Error,
                        [](const nmt::Error& e) {
                          return std::string(e.what()).rfind("spm.model: not a valid", 0) == 0;
                        });
}

BOOST_AUTO_TEST_CASE(training_on_invalid_utf8_names_file_and_line) {
  const std::string bad = (corpus().dir / "bad.txt").string();
  std::ofstream(bad) << "good line\nanother\nbad \xC3 line\n";
  nmt::SubwordTrainingOptions options;
  options.inputs = {corpus().path, bad};
  BOOST_CHECK_EXCEPTION(nmt::train_subword_model(options), nmt::Error, [&](const nmt::Error& e) {
    return std::string(e.what()).rfind(bad + ":3: invalid UTF-8", 0) == 0;
  });
}

BOOST_AUTO_TEST_CASE(too_large_vocabulary_is_a_clear_error) {
  nmt::SubwordTrainingOptions options;
  options.inputs = {corpus().path};
  options.vocab_size = 100000;
  BOOST_CHECK_EXCEPTION(nmt::train_subword_model(options), nmt::Error, [](const nmt::Error& e) {
    return std::string(e.what()).find("Vocabulary size too high") != std::string::npos;
  });
}
