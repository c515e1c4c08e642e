#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>

#include <nlohmann/json.hpp>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "nmt/core/random.h"
#include "nmt/tokenization/subword_trainer.h"
#include "nmt/training/gradients.h"
#include "nmt/training/trainer.h"

namespace fs = std::filesystem;

namespace {

// A small word-for-word "translation" task written to files, with a character
// subword model, so the whole trainer runs in well under a second.
struct TinyTask {
  fs::path dir = fs::temp_directory_path() / "nmt_test_trainer";
  nmt::TrainingOptions options;
  std::string vocab_bytes;

  TinyTask() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::vector<std::string> src{"uno", "dos", "tres", "casa", "perro", "gato"};
    const std::vector<std::string> tgt{"one", "two", "three", "house", "dog", "cat"};
    nmt::Rng rng(4);
    std::ofstream s(dir / "train.src"), t(dir / "train.tgt");
    for (int line = 0; line < 60; ++line) {
      const int words = 1 + static_cast<int>(rng.next() % 3);
      for (int w = 0; w < words; ++w) {
        const auto k = rng.next() % src.size();
        s << (w ? " " : "") << src[k];
        t << (w ? " " : "") << tgt[k];
      }
      s << "\n";
      t << "\n";
    }
    s.close();
    t.close();
    std::ofstream(dir / "valid.src") << "uno dos\ngato\n";
    std::ofstream(dir / "valid.tgt") << "one two\ncat\n";
    nmt::SubwordTrainingOptions subword;
    subword.inputs = {(dir / "train.src").string(), (dir / "train.tgt").string()};
    subword.model_type = "char";
    subword.vocab_size = 40;
    subword.hard_vocab_limit = false;
    subword.threads = 1;
    vocab_bytes = nmt::train_subword_model(subword);

    options.train_source = (dir / "train.src").string();
    options.train_target = (dir / "train.tgt").string();
    options.valid_source = (dir / "valid.src").string();
    options.valid_target = (dir / "valid.tgt").string();
    options.batching.sentences = 8;
    options.accumulate = 2;
    options.max_epochs = 0;
    options.valid_every = 4;
    options.patience = 0;
    options.display_seconds = 1e9;
  }
  ~TinyTask() { fs::remove_all(dir); }

  nmt::TranslationModel fresh_model(nmt::DnnContext& dnn) const {
    auto vocab = [&] { return nmt::SubwordModel::from_bytes(vocab_bytes, "vocab"); };
    nmt::ModelConfig config;
    config.source_vocab_size = config.target_vocab_size = vocab().vocab_size();
    config.embedding_size = 8;
    config.hidden_size = 12;
    config.layers = 2;
    config.dropout = 0.1f;  // dropout on: resume must redraw the same masks
    nmt::TranslationModel model{vocab(), vocab(), std::make_unique<nmt::Seq2SeqModel>(dnn, config)};
    model.network->initialize(5);
    return model;
  }
};

std::vector<float> all_weights(const nmt::Seq2SeqModel& model) {
  std::vector<float> weights;
  for (const auto& p : model.parameters()) weights.insert(weights.end(), p.value, p.value + p.size);
  return weights;
}

// The records of a --log-json file, in order.
std::vector<nlohmann::json> log_records(const std::string& path) {
  std::ifstream log(path);
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(log, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

}  // namespace

BOOST_AUTO_TEST_CASE(resumed_training_reaches_the_same_weights_as_uninterrupted) {
  TinyTask task;
  nmt::DnnContext dnn;

  auto straight_options = task.options;
  straight_options.model_path = (task.dir / "straight.nmt").string();
  straight_options.max_steps = 14;  // crosses an epoch boundary (60 pairs / 8 / 2 per step)
  auto straight = task.fresh_model(dnn);
  nmt::Trainer(straight_options, straight).run();

  auto split_options = task.options;
  split_options.model_path = (task.dir / "split.nmt").string();
  split_options.max_steps = 5;
  auto first_half = task.fresh_model(dnn);
  const auto stopped = nmt::Trainer(split_options, first_half).run();
  BOOST_TEST(stopped.step == 5);

  split_options.max_steps = 14;
  const auto checkpoint = nmt::ModelFileReader::load(split_options.model_path + ".checkpoint");
  auto resumed = nmt::TranslationModel::read(dnn, checkpoint);
  nmt::Trainer trainer(split_options, resumed);
  trainer.resume(checkpoint);
  const auto finished = trainer.run();
  BOOST_TEST(finished.step == 14);

  const auto a = all_weights(*straight.network), b = all_weights(*resumed.network);
  BOOST_REQUIRE(a.size() == b.size());
  BOOST_TEST(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  BOOST_TEST(all_weights(*first_half.network) != a);  // the second half did change the weights
}

BOOST_AUTO_TEST_CASE(best_model_is_self_contained_and_truncation_is_refused) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "model.nmt").string();
  options.max_steps = 4;
  auto model = task.fresh_model(dnn);
  nmt::Trainer(options, model).run();

  const auto loaded = nmt::TranslationModel::load(dnn, options.model_path);
  BOOST_TEST(loaded.source_vocab.vocab_size() == model.source_vocab.vocab_size());
  BOOST_TEST(loaded.network->config().to_json() == model.network->config().to_json());

  const auto bytes = fs::file_size(options.model_path);
  fs::resize_file(options.model_path, bytes - 100);
  BOOST_CHECK_EXCEPTION(nmt::TranslationModel::load(dnn, options.model_path), nmt::Error,
                        [&](const nmt::Error& e) {
                          const std::string message = e.what();
                          return message.rfind(options.model_path + ":", 0) == 0 &&
                                 message.find("corrupt or truncated") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(mismatched_training_files_name_both_counts) {
  TinyTask task;
  nmt::DnnContext dnn;
  std::ofstream(task.dir / "short.tgt") << "one\n";
  auto options = task.options;
  options.train_target = (task.dir / "short.tgt").string();
  auto model = task.fresh_model(dnn);
  BOOST_CHECK_EXCEPTION(nmt::Trainer(options, model), nmt::Error, [&](const nmt::Error& e) {
    return std::string(e.what()).find("has 60 lines but " + options.train_target + " has 1") != std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(model_and_checkpoint_carry_the_configuration_and_state) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "model.nmt").string();
  options.max_steps = 9;  // validations (and epoch ends) at 4 and 8, and one at the end
  options.config_yaml = "hidden-size: 12\nmax-steps: 9\n";
  options.keep_checkpoints = 2;
  options.log_json = (task.dir / "log.jsonl").string();
  auto model = task.fresh_model(dnn);
  const auto state = nmt::Trainer(options, model).run();

  for (const auto& path : {options.model_path, options.model_path + ".checkpoint"}) {
    const auto file = nmt::ModelFileReader::load(path);
    BOOST_TEST(file.section("training/config") == options.config_yaml);
    BOOST_TEST(file.has("training/state"));
  }
  const auto saved = nlohmann::json::parse(
      nmt::ModelFileReader::load(options.model_path + ".checkpoint").section("training/state"));
  BOOST_TEST(saved.at("step").get<int>() == 9);
  BOOST_TEST(saved.at("validations").get<int>() == state.validations);
  BOOST_TEST(state.validations == 3);
  BOOST_TEST(saved.at("best_bleu").get<double>() == state.best_bleu);
  BOOST_TEST(state.best_perplexity > 1.0);

  // Checkpoints at steps 4, 8 and 9 (the end); the last two are kept.
  const nmt::CheckpointFiles files(options.model_path, 2);
  const std::vector<std::string> kept = files.kept();
  BOOST_TEST(kept == (std::vector<std::string>{files.step_checkpoint(8), files.step_checkpoint(9)}),
             boost::test_tools::per_element());
  BOOST_TEST(!fs::exists(files.step_checkpoint(4)));
  BOOST_TEST(nmt::read_file(files.step_checkpoint(9)) == nmt::read_file(files.checkpoint()));

  // One JSON line per validation (no progress lines: display_seconds is huge).
  const auto records = log_records(options.log_json);
  BOOST_REQUIRE(records.size() == 3);
  BOOST_TEST(records[0].at("type") == "valid");
  BOOST_TEST(records[0].at("step") == 4);
  BOOST_TEST(records[1].at("step") == 8);
  BOOST_TEST(records[2].at("step") == 9);
  BOOST_TEST(records[0].at("best") == true);
  BOOST_TEST(std::min({records[0].at("perplexity").get<double>(), records[1].at("perplexity").get<double>(),
                       records[2].at("perplexity").get<double>()}) == state.best_perplexity);
}

BOOST_AUTO_TEST_CASE(resuming_a_finished_run_trains_no_further) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "done.nmt").string();
  options.max_steps = 3;
  auto model = task.fresh_model(dnn);
  nmt::Trainer(options, model).run();
  const auto checkpoint = nmt::ModelFileReader::load(options.model_path + ".checkpoint");
  auto resumed = nmt::TranslationModel::read(dnn, checkpoint);
  nmt::Trainer trainer(options, resumed);
  trainer.resume(checkpoint);
  BOOST_TEST(trainer.run().step == 3);
  BOOST_TEST(all_weights(*resumed.network) == all_weights(*model.network));
}

BOOST_AUTO_TEST_CASE(a_damaged_checkpoint_state_is_refused_naming_the_file) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "state.nmt").string();
  options.max_steps = 2;
  auto model = task.fresh_model(dnn);
  nmt::Trainer(options, model).run();
  const auto good = nmt::ModelFileReader::load(options.model_path + ".checkpoint");
  // The checkpoint with one section replaced, as a crafted or damaged file has it.
  const auto with = [&](const std::string& section, const std::string& bytes) {
    nmt::ModelFileWriter file;
    for (const auto& name : good.section_names()) file.add(name, name == section ? bytes : good.section(name));
    return nmt::ModelFileReader::parse(file.serialize(), "damaged.checkpoint");
  };
  auto state = nlohmann::json::parse(good.section("training/state"));
  state["batch_in_epoch"] = -5;
  const std::vector<std::pair<nmt::ModelFileReader, std::string>> cases{
      {with("training/state", state.dump()), "damaged.checkpoint: bad training state"},
      {with("optimizer/steps", "two"), "damaged.checkpoint: optimizer/steps is not a step count: 'two'"},
      {with("optimizer/steps", "-3"), "is not a step count"}};
  for (const auto& entry : cases) {
    // Named copies: a lambda may not capture structured bindings before C++20 (Clang refuses).
    const auto& checkpoint = entry.first;
    const auto& message = entry.second;
    auto resumed = nmt::TranslationModel::read(dnn, checkpoint);
    nmt::Trainer trainer(options, resumed);
    BOOST_CHECK_EXCEPTION(trainer.resume(checkpoint), nmt::Error, [&](const nmt::Error& e) {
      BOOST_TEST_INFO(e.what());
      return std::string(e.what()).find(message) != std::string::npos;
    });
  }
}

BOOST_AUTO_TEST_CASE(a_long_epoch_is_checkpointed_on_a_time_interval) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "interval.nmt").string();
  options.valid_every = 0;              // validations only at epoch ends
  options.checkpoint_minutes = 1e-12;   // so every step is past the interval
  options.keep_checkpoints = 10;
  options.max_steps = 3;
  auto model = task.fresh_model(dnn);
  nmt::Trainer(options, model).run();
  for (const int step : {1, 2, 3})
    BOOST_TEST(fs::exists(options.model_path + ".step-" + std::to_string(step) + ".checkpoint"), "step " << step);
}

BOOST_AUTO_TEST_CASE(patience_counts_a_better_perplexity_as_progress) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "patient.nmt").string();
  options.early_stopping = nmt::EarlyStopping::bleu;
  options.patience = 1;
  options.valid_every = 2;
  options.max_steps = 12;
  options.log_json = (task.dir / "patient.jsonl").string();
  auto model = task.fresh_model(dnn);
  const auto state = nmt::Trainer(options, model).run();

  // Replays the rule on the logged validations: a validation without a better
  // BLEU or a better perplexity ends the run (patience 1).
  double best_bleu = -1, best_perplexity = INFINITY;
  std::int64_t expected_end = options.max_steps;
  bool bleu_stalled_while_perplexity_fell = false;
  for (const auto& record : log_records(options.log_json)) {
    const double bleu = record.at("bleu"), perplexity = record.at("perplexity");
    if (bleu <= best_bleu && perplexity < best_perplexity) bleu_stalled_while_perplexity_fell = true;
    if (bleu <= best_bleu && perplexity >= best_perplexity) {
      expected_end = record.at("step");
      break;
    }
    best_bleu = std::max(best_bleu, bleu);
    best_perplexity = std::min(best_perplexity, perplexity);
  }
  BOOST_TEST(state.step == expected_end);
  // The case the rule is for happened: BLEU-only patience would have stopped here.
  BOOST_TEST(bleu_stalled_while_perplexity_fell);
}

BOOST_AUTO_TEST_CASE(plateau_decay_scales_the_rate_after_each_stalled_validation) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "plateau.nmt").string();
  options.schedule.base = 0.02;
  options.schedule.decay = nmt::LearningRateDecay::plateau;
  options.schedule.decay_factor = 0.5;
  options.valid_every = 1;
  options.max_steps = 40;
  options.log_json = (task.dir / "plateau.jsonl").string();
  auto model = task.fresh_model(dnn);
  const auto state = nmt::Trainer(options, model).run();

  // Replays the rule: a validation with neither a better BLEU nor a better
  // perplexity halves the rate from then on.
  double best_bleu = -1, best_perplexity = INFINITY, scale = 1;
  int validations = 0, stalls = 0;
  for (const auto& record : log_records(options.log_json)) {
    if (record.at("type") != "valid") continue;
    const double bleu = record.at("bleu"), perplexity = record.at("perplexity");
    if (!(bleu > best_bleu) && !(perplexity < best_perplexity)) {
      scale *= 0.5;
      ++stalls;
    }
    best_bleu = std::max(best_bleu, bleu);
    best_perplexity = std::min(best_perplexity, perplexity);
    BOOST_TEST(record.at("learning_rate").get<double>() == 0.02 * scale, boost::test_tools::tolerance(1e-9));
    ++validations;
  }
  BOOST_TEST(validations == 40);
  BOOST_TEST(stalls > 0);  // the case the decay is for happened
  BOOST_TEST(state.learning_rate_scale == scale);
}

BOOST_AUTO_TEST_CASE(a_run_that_stops_on_a_limit_validates_its_final_steps) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "final.nmt").string();
  options.valid_every = 4;
  options.max_steps = 10;
  options.log_json = (task.dir / "final.jsonl").string();
  auto model = task.fresh_model(dnn);
  nmt::Trainer(options, model).run();
  std::vector<std::int64_t> validated;
  for (const auto& record : log_records(options.log_json))
    if (record.at("type") == "valid") validated.push_back(record.at("step"));
  BOOST_TEST(validated == (std::vector<std::int64_t>{4, 8, 10}), boost::test_tools::per_element());

  // Resuming the finished run neither trains nor validates again.
  const auto checkpoint = nmt::ModelFileReader::load(options.model_path + ".checkpoint");
  auto resumed = nmt::TranslationModel::read(dnn, checkpoint);
  nmt::Trainer trainer(options, resumed);
  trainer.resume(checkpoint);
  BOOST_TEST(trainer.run().validations == 3);
}

namespace {

// Makes the first gradient entry NaN on the backward passes numbered in `calls`
// (1 = the first), as an overflow would.
std::function<void(std::int64_t)> poison_gradients(nmt::Seq2SeqModel& model, std::vector<int> calls, int& count) {
  return [&model, calls, &count](std::int64_t) {
    ++count;
    if (std::find(calls.begin(), calls.end(), count) != calls.end())
      model.parameters().front().gradient[0] = std::nanf("");
  };
}

bool message_has(const nmt::Error& e, const std::string& text) {
  BOOST_TEST_INFO(e.what());
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_non_finite_gradient_stops_the_run_by_default) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "stop.nmt").string();
  options.max_steps = 6;
  auto model = task.fresh_model(dnn);
  nmt::Trainer trainer(options, model);
  int calls = 0;
  trainer.after_backward = poison_gradients(*model.network, {3}, calls);
  BOOST_CHECK_EXCEPTION(trainer.run(), nmt::Error, [](const nmt::Error& e) {
    return message_has(e, "update 3: the loss") && message_has(e, "--on-non-finite skip");
  });
  BOOST_TEST(nmt::non_finite_parameter(model.network->parameters()) == "");  // the bad update was not applied
}

BOOST_AUTO_TEST_CASE(skip_drops_non_finite_updates_and_counts_them) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "skip.nmt").string();
  options.on_non_finite = nmt::NonFiniteSteps::skip;
  options.max_steps = 6;
  auto model = task.fresh_model(dnn);
  nmt::Trainer trainer(options, model);
  int calls = 0;
  trainer.after_backward = poison_gradients(*model.network, {3, 5}, calls);
  const auto state = trainer.run();
  BOOST_TEST(calls == 8);  // 6 updates and 2 skipped
  BOOST_TEST(state.step == 6);
  BOOST_TEST(state.skipped_steps == 2);
  BOOST_TEST(nmt::non_finite_parameter(model.network->parameters()) == "");
  const auto checkpoint = nmt::ModelFileReader::load(options.model_path + ".checkpoint");
  BOOST_TEST(checkpoint.section("optimizer/steps") == "6");  // Adam saw the 6 updates only
  BOOST_TEST(nlohmann::json::parse(checkpoint.section("training/state")).at("skipped_steps") == 2);
}

BOOST_AUTO_TEST_CASE(non_finite_updates_in_a_row_stop_a_skipping_run) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "row.nmt").string();
  options.on_non_finite = nmt::NonFiniteSteps::skip;
  options.max_steps = 1000;
  auto model = task.fresh_model(dnn);
  nmt::Trainer trainer(options, model);
  int calls = 0;
  std::vector<int> all(2 * nmt::Trainer::kMaxSkippedInARow);
  std::iota(all.begin(), all.end(), 4);  // every pass from the 4th on
  trainer.after_backward = poison_gradients(*model.network, all, calls);
  BOOST_CHECK_EXCEPTION(trainer.run(), nmt::Error, [](const nmt::Error& e) {
    return message_has(e, "so were the " + std::to_string(nmt::Trainer::kMaxSkippedInARow - 1) + " updates before it");
  });
  BOOST_TEST(calls == 3 + nmt::Trainer::kMaxSkippedInARow);
}

BOOST_AUTO_TEST_CASE(weights_that_are_not_finite_are_never_saved) {
  TinyTask task;
  nmt::DnnContext dnn;
  auto options = task.options;
  options.model_path = (task.dir / "nan.nmt").string();
  options.max_steps = 8;
  options.checkpoint_minutes = 1e-12;  // a checkpoint after every step
  auto model = task.fresh_model(dnn);
  nmt::Trainer trainer(options, model);
  int calls = 0;
  // A weight, not a gradient, turns NaN in update 6 (its gradient norm is
  // finite), so only the check before saving can stop it.
  trainer.after_backward = [&](std::int64_t) {
    if (++calls == 6) model.network->parameters().back().value[0] = std::nanf("");
  };
  BOOST_CHECK_EXCEPTION(trainer.run(), nmt::Error, [&](const nmt::Error& e) {
    return message_has(e, options.model_path + ".checkpoint: not written") &&
           message_has(e, model.network->parameters().back().name + " are NaN or infinite");
  });
  // What is on disk is from step 5 and loads (the loader refuses NaN weights).
  const auto checkpoint = nmt::ModelFileReader::load(options.model_path + ".checkpoint");
  BOOST_TEST(nlohmann::json::parse(checkpoint.section("training/state")).at("step") == 5);
  BOOST_CHECK_NO_THROW(nmt::TranslationModel::read(dnn, checkpoint));
  BOOST_CHECK_NO_THROW(nmt::TranslationModel::read(dnn, nmt::ModelFileReader::load(options.model_path)));
}
