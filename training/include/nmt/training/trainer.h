#pragma once
// The training loop: batches, gradient accumulation, optimizer steps,
// validation (perplexity and greedy BLEU), early stopping, checkpoints that
// resume exactly, and a progress line.
//
// Files (see checkpoint_files.h): `model_path` holds the best model so far
// (self-contained, ready for `nmt translate`); `model_path + ".checkpoint"` the
// last checkpoint (model, optimizer moments, step, data position), written at
// every validation and every epoch end. Both are written atomically and both
// carry the run's configuration ("training/config", YAML) and state
// ("training/state", JSON) for `nmt info`.
//
// With several ranks (see distributed.h) each rank trains on its share of
// every batch of the same plan and the gradients are summed before the
// update, so the run trains the model one process would on the same
// batches, up to the order of floating-point sums.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "nmt/core/enum_names.h"
#include "nmt/decoder/decoding_options.h"
#include "nmt/model/translation_model.h"
#include "nmt/training/checkpoint_files.h"
#include "nmt/training/distributed.h"
#include "nmt/training/learning_rate.h"
#include "nmt/training/optimizer.h"
#include "nmt/training/parallel_corpus.h"
#include "nmt/training/training_log.h"

namespace nmt {

// What a step whose loss or gradient norm is NaN or infinite does.
enum class NonFiniteSteps { stop, skip };

inline const EnumNames<NonFiniteSteps>& non_finite_steps_names() {
  static const EnumNames<NonFiniteSteps> names{{NonFiniteSteps::stop, "stop"}, {NonFiniteSteps::skip, "skip"}};
  return names;
}

// The validation metric that picks the best model.
enum class EarlyStopping { bleu, perplexity };

inline const EnumNames<EarlyStopping>& early_stopping_names() {
  static const EnumNames<EarlyStopping> names{{EarlyStopping::bleu, "bleu"},
                                              {EarlyStopping::perplexity, "perplexity"}};
  return names;
}

struct TrainingOptions {
  // A language model (the model's task lm) reads its text from the targets
  // and has no sources; a classifier (task classify) its sentences from the
  // sources and their labels from the targets.
  std::string train_source, train_target;
  std::string valid_source, valid_target;  // optional
  std::string model_path = "model.nmt";
  CorpusFilter filter;
  BatchLimits batching{32, 0};  // tokens: padded target tokens; nmt train's recipe
  int accumulate = 1;  // batches per optimizer step
  OptimizerOptions optimizer;
  LearningRateSchedule schedule;
  double clip_norm = 5.0;  // 0 = no clipping
  // stop: the run ends with an error (the last checkpoint stays). skip: the
  // update is dropped and counted; kMaxSkippedInARow such steps in a row end it.
  NonFiniteSteps on_non_finite = NonFiniteSteps::stop;
  float label_smoothing = 0.1f;
  int max_epochs = 10;       // 0 = no limit
  std::int64_t max_steps = 0;  // 0 = no limit
  double max_minutes = 0;    // wall-clock budget of this run; 0 = no limit
  std::int64_t valid_every = 0;  // steps; 0 = at the end of every epoch
  EarlyStopping early_stopping = EarlyStopping::bleu;
  // Validations without progress (neither a better metric nor a better
  // perplexity) before stopping; 0 = never stop.
  int patience = 5;
  int valid_batch_size = 64;
  DecodingOptions valid_decoding;
  double display_seconds = 10;
  std::uint64_t seed = 1;
  int keep_checkpoints = 0;   // also keep the last N checkpoints as MODEL.step-S.checkpoint
  // A checkpoint at least this often (minutes of wall time) besides those at
  // validations and epoch ends, so a long epoch is not lost whole; 0 = off.
  double checkpoint_minutes = 10;
  std::string log_json;       // JSON-lines training log (appended); empty = none
  std::string config_yaml;    // the effective configuration, stored in the model files
};

// The position and history of a run, saved in checkpoints.
struct TrainingState {
  std::int64_t step = 0;
  std::int64_t epoch = 0;
  std::int64_t batch_in_epoch = 0;  // batches of this epoch already used
  double best_metric = 0;
  bool has_best = false;
  int bad_validations = 0;
  double seconds = 0;  // wall time over all runs, validation and saving included
  double overhead_seconds = 0;  // of which validating and saving
  std::int64_t target_tokens = 0;
  int validations = 0;
  double best_bleu = 0, best_perplexity = 0;  // over all validations (when validations > 0)
  double learning_rate_scale = 1;  // product of the plateau decays so far
  std::int64_t skipped_steps = 0;  // updates dropped for a non-finite loss or gradient

  double training_seconds() const { return seconds - overhead_seconds; }
};

class Trainer {
 public:
  static constexpr int kMaxSkippedInARow = 100;

  // model: a fresh (initialized) model, or one read from a checkpoint together
  // with its optimizer and state (see resume()). ranks: the processes that
  // train it together; rank 0 validates and writes the files.
  Trainer(const TrainingOptions& options, TranslationModel& model, Distributed& ranks = Distributed::single());

  // Continues from a checkpoint (MODEL.checkpoint, already read into the model).
  void resume(const ModelFileReader& checkpoint);
  // Trains until a limit, early stopping, or a stop request. Returns the state.
  TrainingState run();

  // Asks run() to save a checkpoint and return after the current step (safe
  // to call from a signal handler). A request stays until the process ends.
  static void request_stop();

  std::string checkpoint_path() const { return files_.checkpoint(); }

  // Called after each backward pass with the update's number (state step + 1),
  // before the gradient norm is taken: lets a test poison a gradient.
  std::function<void(std::int64_t)> after_backward;

 private:
  struct Validation {
    double perplexity = 0;
    double bleu = 0;                // translation
    double bits_per_character = 0;  // language model
    double accuracy = 0;            // classifier
  };
  // Sums over the steps since the last progress line.
  struct Window {
    double loss = 0, nll = 0, gradient_norm = 0, learning_rate = 0;
    std::int64_t tokens = 0, steps = 0;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  };

  // One optimizer step over the next `accumulate` batches of the epoch's plan;
  // false when the update was skipped (--on-non-finite skip).
  bool train_step(const std::vector<std::vector<std::size_t>>& plan);
  void show_progress(std::size_t batches_in_epoch);
  // --on-non-finite: throws (stop, or too many in a row) or drops the update.
  void skip_non_finite_step(double loss, double norm, std::int64_t batches);
  // Throws nmt::Error naming path when a weight is NaN or infinite.
  void refuse_non_finite_weights(const std::string& path) const;
  // The limit that ends the run now, or "" to go on; every rank gets the same answer.
  std::string limit_reached();
  Validation validate();
  // Validates (or, without validation data, saves the model), then saves a
  // checkpoint. Returns true when training should stop (patience exhausted).
  bool validate_and_save();
  bool after_validation(const Validation& result);
  // Rank 0's training state and its decision to stop, to every rank (a
  // validation changes the patience count and the plateau decay).
  bool share_from_root(bool stop);
  // This rank's share of a batch: a contiguous slice of its sentences.
  std::vector<std::size_t> share_of(const std::vector<std::size_t>& batch) const;
  void write_training_sections(ModelFileWriter& file) const;
  void save_model() const;
  void save_checkpoint();
  void update_seconds();
  // The rate of update number step: the schedule's, times the plateau decays.
  double learning_rate(std::int64_t step) const;

  TrainingOptions options_;
  TranslationModel& model_;
  Distributed& ranks_;
  CheckpointFiles files_;
  TrainingLog log_;
  ParallelCorpus train_;
  std::vector<std::string> valid_source_lines_, valid_target_lines_;
  ParallelCorpus valid_;
  bool language_model_ = false;
  bool classifier_ = false;  // its loss counts one position per sentence
  double valid_characters_ = 0;  // a language model's validation text, one more per line end
  Optimizer optimizer_;
  TrainingState state_;
  std::chrono::steady_clock::time_point run_start_;
  std::chrono::steady_clock::time_point last_checkpoint_;  // or the run's start
  double seconds_before_run_ = 0;
  Window window_;
  std::int64_t checkpoint_step_ = -1;  // step of the last checkpoint written by this run
  std::int64_t validated_step_ = -1;   // step of the last validation (or save, without validation data)
  int skipped_in_a_row_ = 0;
  bool gradients_zero_ = false;  // the optimizer's step leaves them so
  bool interrupted_ = false;  // a rank had a stop request
  double sum_seconds_ = 0;    // this run's time in the gradient sums over ranks
};

}  // namespace nmt
