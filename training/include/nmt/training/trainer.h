#pragma once
// The training loop: batches, gradient accumulation, optimizer steps,
// validation (perplexity and greedy BLEU), early stopping, checkpoints that
// resume exactly, and a progress line.
//
// Files: `model_path` holds the best model so far (self-contained, ready for
// `nmt translate`); `model_path + ".checkpoint"` the last checkpoint (model,
// optimizer moments, step, data position). Both are written atomically.

#include <atomic>
#include <cstdint>
#include <string>

#include "nmt/decoder/decoding_options.h"
#include "nmt/model/translation_model.h"
#include "nmt/training/batching.h"
#include "nmt/training/learning_rate.h"
#include "nmt/training/optimizer.h"
#include "nmt/training/parallel_corpus.h"

namespace nmt {

struct TrainingOptions {
  std::string train_source, train_target;
  std::string valid_source, valid_target;  // optional
  std::string model_path = "model.nmt";
  CorpusFilter filter;
  BatchingOptions batching;
  int accumulate = 1;  // batches per optimizer step
  OptimizerOptions optimizer;
  LearningRateSchedule schedule;
  double clip_norm = 5.0;  // 0 = no clipping
  float label_smoothing = 0.1f;
  int max_epochs = 10;       // 0 = no limit
  std::int64_t max_steps = 0;  // 0 = no limit
  double max_minutes = 0;    // wall-clock budget of this run; 0 = no limit
  std::int64_t valid_every = 0;  // steps; 0 = at the end of every epoch
  std::string early_stopping = "bleu";  // bleu | perplexity
  int patience = 5;          // validations without improvement before stopping; 0 = never stop
  int valid_batch_size = 64;
  DecodingOptions valid_decoding;
  double display_seconds = 10;
  std::uint64_t seed = 1;
};

// The position and history of a run, saved in checkpoints.
struct TrainingState {
  std::int64_t step = 0;
  std::int64_t epoch = 0;
  std::int64_t batch_in_epoch = 0;  // batches of this epoch already used
  double best_metric = 0;
  bool has_best = false;
  int bad_validations = 0;
  double seconds = 0;  // training time over all runs
  std::int64_t target_tokens = 0;
};

class Trainer {
 public:
  // model: a fresh (initialized) model, or one read from a checkpoint together
  // with its optimizer and state (see resume()).
  Trainer(const TrainingOptions& options, TranslationModel& model);

  // Continues from model_path + ".checkpoint". Throws nmt::Error if absent.
  void resume();
  // Trains until a limit, early stopping, or a stop request. Returns the state.
  TrainingState run();

  // Asks run() to save a checkpoint and return after the current step (safe
  // to call from a signal handler). A request stays until the process ends.
  static void request_stop();

  std::string checkpoint_path() const { return options_.model_path + ".checkpoint"; }

 private:
  struct Validation {
    double perplexity = 0;
    double bleu = 0;
  };
  Validation validate();
  // Returns true when training should stop (patience exhausted).
  bool after_validation(const Validation& result);
  void save_checkpoint() const;
  std::string progress_line(double loss_per_token, double nll_per_token, double learning_rate,
                            double gradient_norm, double tokens_per_second, double eta_seconds) const;

  TrainingOptions options_;
  TranslationModel& model_;
  ParallelCorpus train_;
  std::vector<std::string> valid_source_lines_, valid_target_lines_;
  ParallelCorpus valid_;
  Optimizer optimizer_;
  TrainingState state_;
};

}  // namespace nmt
