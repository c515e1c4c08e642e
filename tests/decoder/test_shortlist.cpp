// The lexical shortlist: built from co-occurrence, saved and loaded exactly,
// bad files refused naming the line; decoding over a restricted output keeps
// every choice the full search makes among the tokens it keeps.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "nmt/core/error.h"
#include "nmt/decoder/search/beam_search.h"
#include "nmt/decoder/search/greedy_search.h"
#include "nmt/decoder/shortlist.h"
#include "nmt/model/translator.h"
#include "tiny_model.h"

namespace fs = std::filesystem;
using nmt::testing::beam_options;
using nmt::testing::kAttentions;
using nmt::testing::kTargetVocab;
using nmt::testing::random_sources;
using nmt::testing::TinyModel;

namespace {

// Source word s (ids 4..9) translates to target word s + 10; every target
// sentence also holds the frequent filler 3 twice.
nmt::Shortlist toy_shortlist(const nmt::ShortlistOptions& options) {
  nmt::Shortlist::Builder builder(10, 20);
  nmt::Rng rng(3);
  for (int pair = 0; pair < 200; ++pair) {
    std::vector<int> source, target{3, 3};
    for (int w = 0; w < 3; ++w) {
      const int s = 4 + static_cast<int>(rng.next() % 6);
      source.push_back(s);
      target.push_back(s + 10);
    }
    builder.add(source, target);
  }
  return builder.finish(options);
}

std::string write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path.string();
}

bool message_has(const nmt::Error& e, const std::string& text) {
  BOOST_TEST_INFO(e.what());
  return std::string(e.what()).find(text) != std::string::npos;
}

std::vector<int> all_tokens() {
  std::vector<int> ids(kTargetVocab);
  std::iota(ids.begin(), ids.end(), 0);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(shortlist_keeps_each_source_words_translation_and_the_frequent_words) {
  const auto list = toy_shortlist({1, 1});
  for (int s = 4; s < 10; ++s) BOOST_TEST(list.best(s) == std::vector<int>{s + 10}, "source " << s);
  BOOST_TEST(list.best(0).empty());  // never seen
  BOOST_TEST(list.frequent() == std::vector<int>{3});
  const std::vector<int> a{4, 5}, b{5};
  BOOST_TEST(list.candidates({&a, &b}, {2}) == (std::vector<int>{2, 3, 14, 15}));
}

BOOST_AUTO_TEST_CASE(shortlist_round_trips_through_its_file) {
  const fs::path dir = fs::temp_directory_path() / "nmt_test_shortlist";
  fs::create_directories(dir);
  const auto list = toy_shortlist({3, 2});
  list.save((dir / "list").string());
  const auto read = nmt::Shortlist::load((dir / "list").string(), 10, 20);
  BOOST_TEST(read.frequent() == list.frequent());
  for (int s = 0; s < 10; ++s) BOOST_TEST(read.best(s) == list.best(s));
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_bad_shortlist_file_is_refused_naming_the_line) {
  const fs::path dir = fs::temp_directory_path() / "nmt_test_shortlist_bad";
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"hello\n", ":1: not an nmt shortlist"},
      {"nmt-shortlist 1 3 20\n1\n2\n3\n4\n", ":1: made for vocabularies of 3/20 subwords, but the model has 2/20"},
      {"nmt-shortlist 1 2 20\n1\n2 25\n3\n", ":3: target id 25 outside the vocabulary of 20"},
      {"nmt-shortlist 1 2 20\n1\n2 x\n3\n", ":3: expected target ids"},
      {"nmt-shortlist 1 2 20\n1\n2\n", ":3: a line per source subword expected: 2, found 1"},
      {"nmt-shortlist 2 2 20\n", ":1: shortlist format version 2"}};
  for (const auto& entry : cases) {
    const auto& message = entry.second;  // a lambda may not capture a structured binding (C++17, Clang)
    const auto path = write(dir / "list", entry.first);
    BOOST_CHECK_EXCEPTION(nmt::Shortlist::load(path, 2, 20), nmt::Error,
                          [&](const nmt::Error& e) { return message_has(e, path + message); });
  }
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(restricting_to_the_whole_vocabulary_changes_nothing) {
  for (const auto& attention : kAttentions) {
    TinyModel model(21, attention);
    const auto sources = random_sources(4, 5, 8);
    for (const int beam : {1, 3}) {
      const auto options = beam_options(beam, beam, nmt::LengthNormalization::wu);
      nmt::GreedySearch greedy;
      nmt::BeamSearch beam_search;
      nmt::SearchStrategy& search = beam == 1 ? static_cast<nmt::SearchStrategy&>(greedy) : beam_search;
      const auto full = model.search(search, sources, 6, options);
      model.network.decoder().restrict_output(all_tokens());
      const auto restricted = model.search(search, sources, 6, options);
      model.network.decoder().unrestrict_output();
      for (std::size_t n = 0; n < sources.size(); ++n) {
        BOOST_REQUIRE(full[n].size() == restricted[n].size());
        for (std::size_t k = 0; k < full[n].size(); ++k) {
          BOOST_TEST(full[n][k].tokens == restricted[n][k].tokens, attention << " beam " << beam);
          BOOST_TEST(full[n][k].log_probability == restricted[n][k].log_probability);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(greedy_over_a_shortlist_holding_its_path_picks_the_same_tokens) {
  // In f32 and in int8, whose shortlist layer takes the quantized rows of the
  // full projection; the shortlists here leave filler columns, never picked.
  for (const bool int8 : {false, true})
  for (const auto& attention : kAttentions) {
    TinyModel model(22, attention);
    if (int8) model.network.quantize_for_inference();
    nmt::GreedySearch greedy;
    const auto options = beam_options(1, 1, nmt::LengthNormalization::none);
    for (const auto& source : random_sources(6, 4, 9)) {
      const auto full = model.search(greedy, {source}, 6, options).front().front();
      std::vector<int> kept = full.tokens;
      kept.push_back(nmt::kEosId);
      std::sort(kept.begin(), kept.end());
      kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
      model.network.decoder().restrict_output(kept);
      const auto restricted = model.search(greedy, {source}, 6, options).front().front();
      model.network.decoder().unrestrict_output();
      BOOST_TEST(restricted.tokens == full.tokens, attention << (int8 ? " int8" : " f32"));
      // Normalized over fewer tokens, each kept token is at least as likely.
      BOOST_TEST(restricted.log_probability >= full.log_probability - 1e-5f);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_restricted_search_outputs_only_kept_tokens) {
  // Two kept tokens and six filler columns: a beam of 5 has more slots than
  // candidates, which must stay empty rather than take a filler.
  TinyModel model(23, "dot");
  const std::vector<int> kept{nmt::kEosId, 5};
  model.network.decoder().restrict_output(kept);
  BOOST_TEST(model.network.decoder().output_size() == kTargetVocab);
  BOOST_TEST(model.network.decoder().scored_columns() == 2);
  nmt::BeamSearch beam_search;
  for (const int beam : {3, 5})
    for (const int max_length : {1, 6})
    for (const auto& n_best : model.search(beam_search, random_sources(4, 5, 10), max_length,
                                           beam_options(beam, beam, nmt::LengthNormalization::wu)))
      for (const auto& hypothesis : n_best) {
        BOOST_TEST(hypothesis.log_probability > -1e6f);
        for (const int token : hypothesis.tokens) BOOST_TEST(token == 5);
      }
  model.network.decoder().unrestrict_output();
  BOOST_CHECK_THROW(model.network.decoder().restrict_output({4, 5}), nmt::Error);  // no </s>
}

BOOST_AUTO_TEST_CASE(translator_with_a_shortlist_of_every_token_translates_as_without) {
  TinyModel model(24, "general");
  nmt::Shortlist::Builder builder(12, kTargetVocab);
  builder.add({4, 5, 6}, {4, 5, 6, 7});
  const auto list = builder.finish({1, kTargetVocab});  // the frequent list holds every token
  nmt::Translator translator(model.network);
  const auto sources = random_sources(7, 4, 11);
  const auto options = beam_options(2, 1, nmt::LengthNormalization::wu);
  const auto without = translator.translate_ids(sources, options, {3, 0});
  translator.set_shortlist(&list);
  const auto with = translator.translate_ids(sources, options, {3, 0});
  for (std::size_t n = 0; n < sources.size(); ++n) BOOST_TEST(with[n].front().tokens == without[n].front().tokens);
  BOOST_TEST(model.network.decoder().output_tokens() == nullptr);  // unrestricted after each batch
}
