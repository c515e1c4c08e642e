#define BOOST_TEST_MODULE training
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "nmt/core/error.h"
#include "nmt/tokenization/subword_trainer.h"
#include "nmt/training/parallel_corpus.h"

namespace fs = std::filesystem;

namespace {

struct Files {
  fs::path dir = fs::temp_directory_path() / "nmt_test_parallel_corpus";
  Files() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Files() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }
};

nmt::SubwordModel char_model(const Files& files) {
  nmt::SubwordTrainingOptions options;
  options.inputs = {files.write("chars.txt", "abcdefgh ijklmnop qrstuvwxyz\nhello world\n")};
  options.model_type = "char";
  options.vocab_size = 30;
  options.hard_vocab_limit = false;
  options.threads = 1;
  return nmt::SubwordModel::from_bytes(nmt::train_subword_model(options), "chars");
}

}  // namespace

BOOST_AUTO_TEST_CASE(filters_empty_and_long_pairs_and_counts_them) {
  const Files files;
  const auto model = char_model(files);
  const auto src = files.write("a.src", "abc\n\nabcdefghijklmnop\nhello\nxy\n");
  const auto tgt = files.write("a.tgt", "def\nxyz\nshort\nworld\n\n");
  nmt::CorpusFilter filter;
  filter.max_source_length = 10;
  const auto corpus = nmt::load_parallel_corpus(src, tgt, model, model, filter);
  BOOST_TEST(corpus.stats.lines == 5u);
  BOOST_TEST(corpus.stats.kept == 2u);
  BOOST_TEST(corpus.stats.dropped_empty == 2u);
  BOOST_TEST(corpus.stats.dropped_too_long == 1u);
  BOOST_TEST(model.decode_ids(corpus.pairs[1].source) == "hello");
  BOOST_TEST(model.decode_ids(corpus.pairs[1].target) == "world");
}

BOOST_AUTO_TEST_CASE(line_count_mismatch_names_both_files_and_counts) {
  const Files files;
  const auto model = char_model(files);
  const auto src = files.write("b.src", "a\nb\nc\nd\n");
  const auto tgt = files.write("b.tgt", "a\nb\n");
  BOOST_CHECK_EXCEPTION(nmt::load_parallel_corpus(src, tgt, model, model, {}), nmt::Error,
                        [&](const nmt::Error& e) {
                          return std::string(e.what()) ==
                                 src + " has 4 lines but " + tgt +
                                     " has 2: parallel files must be line-aligned";
                        });
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_the_target_names_its_line) {
  const Files files;
  const auto model = char_model(files);
  const auto src = files.write("c.src", "a\nb\n");
  const auto tgt = files.write("c.tgt", "a\n\xFF\n");
  BOOST_CHECK_EXCEPTION(nmt::load_parallel_corpus(src, tgt, model, model, {}), nmt::Error,
                        [&](const nmt::Error& e) {
                          return std::string(e.what()).rfind(tgt + ":2: invalid UTF-8", 0) == 0;
                        });
}
