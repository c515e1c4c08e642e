#include "nmt/training/trainer.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <nlohmann/json.hpp>

#include "nmt/core/error.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/corpus_score.h"
#include "nmt/eval/python_text.h"
#include "nmt/model/translator.h"
#include "nmt/training/gradients.h"

namespace nmt {

namespace {

volatile std::sig_atomic_t stop_requested = 0;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Dropout masks depend only on (seed, step, batch of the step), so a resumed
// run draws the masks an uninterrupted one would have.
std::uint64_t dropout_seed(std::uint64_t seed, std::int64_t step, int part) {
  return seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(step) * 1000003ull +
         static_cast<std::uint64_t>(part) * 7919ull;
}

nlohmann::json state_to_json(const TrainingState& s) {
  return {{"step", s.step},
          {"epoch", s.epoch},
          {"batch_in_epoch", s.batch_in_epoch},
          {"best_metric", s.best_metric},
          {"has_best", s.has_best},
          {"bad_validations", s.bad_validations},
          {"seconds", s.seconds},
          {"overhead_seconds", s.overhead_seconds},
          {"target_tokens", s.target_tokens},
          {"validations", s.validations},
          {"best_bleu", s.best_bleu},
          {"best_perplexity", s.best_perplexity},
          {"learning_rate_scale", s.learning_rate_scale},
          {"skipped_steps", s.skipped_steps}};
}

TrainingState state_from_json(const std::string& text, const std::string& name) {
  try {
    const auto j = nlohmann::json::parse(text);
    TrainingState s;
    s.step = j.at("step").get<std::int64_t>();
    s.epoch = j.at("epoch").get<std::int64_t>();
    s.batch_in_epoch = j.at("batch_in_epoch").get<std::int64_t>();
    s.best_metric = j.at("best_metric").get<double>();
    s.has_best = j.at("has_best").get<bool>();
    s.bad_validations = j.at("bad_validations").get<int>();
    s.seconds = j.at("seconds").get<double>();
    s.target_tokens = j.at("target_tokens").get<std::int64_t>();
    // Absent from checkpoints written before they were recorded.
    s.overhead_seconds = j.value("overhead_seconds", 0.0);
    s.validations = j.value("validations", 0);
    s.best_bleu = j.value("best_bleu", 0.0);
    s.best_perplexity = j.value("best_perplexity", 0.0);
    s.learning_rate_scale = j.value("learning_rate_scale", 1.0);
    s.skipped_steps = j.value("skipped_steps", std::int64_t{0});
    // A position a run can have reached: anything else is a damaged or crafted file.
    const bool valid = s.step >= 0 && s.epoch >= 0 && s.batch_in_epoch >= 0 && s.target_tokens >= 0 &&
                       s.bad_validations >= 0 && s.validations >= 0 && s.skipped_steps >= 0 && std::isfinite(s.seconds) &&
                       s.seconds >= 0 && std::isfinite(s.learning_rate_scale) && s.learning_rate_scale > 0 &&
                       s.learning_rate_scale <= 1;
    if (!valid) throw Error(name, "bad training state: a step, epoch, batch or time out of range: " + text);
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(name, std::string("bad training state: ") + e.what());
  }
}

// The task's corpus: parallel files, or a language model's one text.
ParallelCorpus load_corpus(const std::string& source, const std::string& target, const TranslationModel& model,
                           const CorpusFilter& filter) {
  if (model.network->config().task == ModelTask::lm) return load_text_corpus(target, model.target_vocab, filter);
  if (model.network->config().task == ModelTask::classify)
    return load_labelled_corpus(source, target, model.source_vocab, model.labels, filter);
  return load_parallel_corpus(source, target, model.source_vocab, model.target_vocab, filter);
}

void log_corpus(const char* what, const CorpusStats& stats) {
  spdlog::info("{}: {} pairs of {} lines ({} empty, {} over the length limits dropped), "
               "{} source and {} target tokens",
               what, stats.kept, stats.lines, stats.dropped_empty, stats.dropped_too_long,
               stats.source_tokens, stats.target_tokens);
}

}  // namespace

void Trainer::request_stop() { stop_requested = 1; }

Trainer::Trainer(const TrainingOptions& options, TranslationModel& model, Distributed& ranks)
    : options_(options),
      model_(model),
      ranks_(ranks),
      files_(options.model_path, options.keep_checkpoints),
      train_(load_corpus(options.train_source, options.train_target, model, options.filter)),
      optimizer_(options.optimizer, model.network->parameters()) {
  if (options_.accumulate < 1) throw Error("--accumulate must be at least 1");
  language_model_ = model.network->config().task == ModelTask::lm;
  classifier_ = model.network->config().task == ModelTask::classify;
  if ((language_model_ || classifier_) && options_.early_stopping == EarlyStopping::bleu)
    throw Error(std::string(language_model_ ? "a language model" : "a classifier") +
                " has no BLEU to validate by: use --early-stopping perplexity");
  if (options_.keep_checkpoints < 0) throw Error("--keep-checkpoints must be 0 or more");
  if (options_.schedule.decay_factor <= 0 || options_.schedule.decay_factor > 1)
    throw Error("--lr-decay-factor must be in (0, 1]");
  log_corpus("training data", train_.stats);
  if (!options_.valid_target.empty() && ranks_.is_root()) {
    valid_ = load_corpus(options.valid_source, options.valid_target, model, options.filter);
    log_corpus("validation data", valid_.stats);
    if (language_model_) {
      for (const auto& pair : valid_.pairs)
        valid_characters_ += static_cast<double>(eval::python_len(model.target_vocab.decode_ids(pair.target)) + 1);
    } else if (!classifier_) {
      valid_source_lines_ = read_utf8_lines(options.valid_source);
      valid_target_lines_ = read_utf8_lines(options.valid_target);
    }
  }
  if (!options_.log_json.empty() && ranks_.is_root()) log_ = TrainingLog(options_.log_json);
}

void Trainer::resume(const ModelFileReader& checkpoint) {
  optimizer_.load(checkpoint);
  state_ = state_from_json(checkpoint.section("training/state"), checkpoint.name());
  spdlog::info("resuming from {}: epoch {}, step {}", checkpoint.name(), state_.epoch + 1, state_.step);
}

void Trainer::write_training_sections(ModelFileWriter& file) const {
  if (!options_.config_yaml.empty()) file.add("training/config", options_.config_yaml);
  file.add("training/state", state_to_json(state_).dump());
}

void Trainer::refuse_non_finite_weights(const std::string& path) const {
  const auto name = non_finite_parameter(model_.network->parameters());
  if (!name.empty())
    throw Error(path, "not written: weights of " + name + " are NaN or infinite (training diverged; "
                      "lower --learning-rate and resume from the last checkpoint)");
}

void Trainer::save_model() const {
  refuse_non_finite_weights(files_.model());
  ModelFileWriter file;
  model_.write(file);
  write_training_sections(file);
  try {
    file.save(files_.model());
  } catch (const Error& e) {  // e.g. a full disk: say what still holds
    throw Error(std::string(e.what()) + " (the previous best model is unchanged)");
  }
}

void Trainer::save_checkpoint() {
  const auto start = Clock::now();
  refuse_non_finite_weights(files_.checkpoint());
  ModelFileWriter file;
  model_.write(file);
  optimizer_.save(file);
  write_training_sections(file);
  try {
    file.save(files_.checkpoint());
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + " (the previous checkpoint is unchanged: nmt train --resume continues from it)");
  }
  files_.keep(state_.step);
  checkpoint_step_ = state_.step;
  last_checkpoint_ = Clock::now();
  state_.overhead_seconds += seconds_since(start);
  window_ = Window{};  // the progress rate counts training only
}

double Trainer::learning_rate(std::int64_t step) const {
  return options_.schedule.at(step) * state_.learning_rate_scale;
}

void Trainer::update_seconds() { state_.seconds = seconds_before_run_ + seconds_since(run_start_); }

Trainer::Validation Trainer::validate() {
  Validation result;
  double nll = 0;
  std::size_t tokens = 0;
  const BatchLimits limits{options_.valid_batch_size, 0};
  const bool reverse = model_.network->config().reverse_source;
  // Batches of one source length (a language model's, of one target length).
  std::vector<std::size_t> lengths;
  for (const auto& pair : valid_.pairs) lengths.push_back(language_model_ ? pair.target.size() : pair.source.size());
  for (const auto& indices : plan_inference_batches(lengths, limits, true)) {
    const auto sums = model_.network->evaluate_batch(make_batch(valid_.pairs, indices, reverse));
    nll += sums.nll;
    tokens += sums.tokens;
  }
  result.perplexity = std::exp(nll / static_cast<double>(std::max<std::size_t>(tokens, 1)));
  if (language_model_) {
    // Per character of the text, whatever the vocabulary: comparable across
    // subword and character models.
    result.bits_per_character = nll / std::log(2.0) / std::max(valid_characters_, 1.0);
    return result;
  }
  if (classifier_) {
    std::size_t correct = 0;
    for (const auto& indices : plan_inference_batches(lengths, limits, true)) {
      const Batch batch = make_batch(valid_.pairs, indices, reverse);
      const Tensor& probabilities = model_.network->classify_batch(batch);
      const int labels = model_.network->config().labels;
      for (int b = 0; b < batch.batch_size; ++b) {
        const float* row = probabilities.data() + static_cast<std::size_t>(b) * labels;
        correct += static_cast<int>(std::max_element(row, row + labels) - row) == valid_.pairs[indices[b]].target[0];
      }
    }
    result.accuracy = static_cast<double>(correct) / static_cast<double>(std::max<std::size_t>(valid_.pairs.size(), 1));
    return result;
  }
  Translator translator(model_);
  const auto hypotheses =
      translator.translate(valid_source_lines_, options_.valid_decoding,
                           limits);
  eval::Bleu bleu;
  result.bleu = eval::corpus_score(bleu, hypotheses, valid_target_lines_);
  return result;
}

bool Trainer::after_validation(const Validation& result) {
  const bool by_bleu = options_.early_stopping == EarlyStopping::bleu;
  const double metric = by_bleu ? result.bleu : result.perplexity;
  const bool improved = !state_.has_best || (by_bleu ? metric > state_.best_metric : metric < state_.best_metric);
  // Greedy BLEU of a young model stalls for many validations while it is still
  // learning; a new best perplexity counts as progress too, so patience does
  // not end such a run (the best model is still chosen by the metric).
  const bool first = state_.validations == 0;
  const bool perplexity_improved = first || result.perplexity < state_.best_perplexity;
  state_.best_bleu = first ? result.bleu : std::max(state_.best_bleu, result.bleu);
  state_.best_perplexity = first ? result.perplexity : std::min(state_.best_perplexity, result.perplexity);
  ++state_.validations;
  if (improved) {
    state_.best_metric = metric;
    state_.has_best = true;
    save_model();
  }
  const bool progress = improved || perplexity_improved;
  if (progress) state_.bad_validations = 0;
  else ++state_.bad_validations;
  std::string outcome =
      improved ? "best so far, saved " + files_.model()
      : perplexity_improved
          ? "no better BLEU, but the best perplexity yet (patience starts over)"
          : "no improvement (" + std::to_string(state_.bad_validations) +
                (options_.patience > 0 ? "/" + std::to_string(options_.patience) : "") + ")";
  if (!progress && options_.schedule.decay == LearningRateDecay::plateau) {
    state_.learning_rate_scale *= options_.schedule.decay_factor;
    outcome += fmt::format("; learning rate now {:.2e}", learning_rate(state_.step + 1));
  }
  if (language_model_)
    spdlog::info("validation at step {}: perplexity {:.2f} | {:.3f} bits per character | {}", state_.step,
                 result.perplexity, result.bits_per_character, outcome);
  else if (classifier_)
    spdlog::info("validation at step {}: loss {:.4f} | accuracy {:.2f} % | {}", state_.step,
                 std::log(result.perplexity), 100 * result.accuracy, outcome);
  else
    spdlog::info("validation at step {}: perplexity {:.2f} | greedy BLEU {:.2f} | {}", state_.step,
                 result.perplexity, result.bleu, outcome);
  update_seconds();
  log_.write(ValidationRecord{state_.step, state_.epoch + 1, result.perplexity, result.bleu, improved,
                              learning_rate(std::max<std::int64_t>(state_.step, 1)), state_.seconds});
  return options_.patience > 0 && state_.bad_validations >= options_.patience;
}

bool Trainer::validate_and_save() {
  validated_step_ = state_.step;
  bool stop = false;
  if (ranks_.is_root()) {
    const auto start = Clock::now();
    if (valid_.pairs.empty()) save_model();
    else stop = after_validation(validate());
    state_.overhead_seconds += seconds_since(start);
    save_checkpoint();
  }
  return share_from_root(stop);
}

bool Trainer::share_from_root(bool stop) {
  if (ranks_.size() == 1) return stop;
  std::string bytes = ranks_.is_root() ? nlohmann::json{{"state", state_to_json(state_)}, {"stop", stop}}.dump() : "";
  ranks_.broadcast(bytes);
  if (ranks_.is_root()) return stop;
  const auto shared = nlohmann::json::parse(bytes);
  state_ = state_from_json(shared.at("state").dump(), "rank 0's training state");
  return shared.at("stop").get<bool>();
}

std::vector<std::size_t> Trainer::share_of(const std::vector<std::size_t>& batch) const {
  const std::size_t n = batch.size(), size = static_cast<std::size_t>(ranks_.size()),
                    rank = static_cast<std::size_t>(ranks_.rank());
  return {batch.begin() + static_cast<std::ptrdiff_t>(n * rank / size),
          batch.begin() + static_cast<std::ptrdiff_t>(n * (rank + 1) / size)};
}

bool Trainer::train_step(const std::vector<std::vector<std::size_t>>& plan) {
  const bool reverse = model_.network->config().reverse_source;
  // This rank's share of each batch of the step; the loss is normalized by
  // the target tokens of the whole batches, over all ranks.
  std::vector<Batch> group;
  std::vector<int> parts;  // the batch of the step each share comes from
  int tokens = 0, batches = 0;
  for (; batches < options_.accumulate && state_.batch_in_epoch + batches < static_cast<std::int64_t>(plan.size());
       ++batches) {
    const auto& batch = plan[static_cast<std::size_t>(state_.batch_in_epoch + batches)];
    for (const std::size_t index : batch)
      tokens += classifier_ ? 1 : static_cast<int>(train_.pairs[index].target.size()) + 1;
    const auto share = share_of(batch);
    if (share.empty()) continue;  // a batch of fewer sentences than ranks
    group.push_back(make_batch(train_.pairs, share, reverse));
    parts.push_back(batches);
  }
  if (!gradients_zero_) model_.network->zero_grad();
  gradients_zero_ = false;
  double sums[2] = {0, 0};  // loss, nll
  for (std::size_t k = 0; k < group.size(); ++k) {
    // Rank 0's masks are those of one process; other ranks draw their own.
    const auto batch_sums = model_.network->train_batch(
        group[k], options_.label_smoothing, 1.0f / tokens,
        dropout_seed(options_.seed, state_.step, parts[k] + 4096 * ranks_.rank()));
    sums[0] += batch_sums.loss;
    sums[1] += batch_sums.nll;
  }
  if (ranks_.size() > 1) {
    const auto start = Clock::now();
    // One sum per parameter tensor, in place: a large tensor goes at the
    // network's rate, a small one costs a latency (see README, "Training on
    // several machines").
    for (const auto& parameter : model_.network->parameters())
      ranks_.sum(parameter.gradient, parameter.size, "the gradient sum");
    ranks_.sum(sums, 2, "the loss sum");
    sum_seconds_ += seconds_since(start);
  }
  const double loss = sums[0], nll = sums[1];
  if (after_backward) after_backward(state_.step + 1);
  const double norm = gradient_norm(model_.network->parameters());
  if (!std::isfinite(norm) || !std::isfinite(loss)) {
    skip_non_finite_step(loss, norm, batches);
    return false;
  }
  skipped_in_a_row_ = 0;
  window_.loss += loss;
  window_.nll += nll;
  window_.learning_rate = learning_rate(state_.step + 1);
  optimizer_.step(window_.learning_rate, clip_scale(norm, options_.clip_norm));
  gradients_zero_ = true;
  model_.network->weights_changed();
  ++state_.step;
  state_.batch_in_epoch += batches;
  state_.target_tokens += tokens;
  update_seconds();
  window_.tokens += tokens;
  window_.gradient_norm += norm;
  ++window_.steps;
  return true;
}

void Trainer::skip_non_finite_step(double loss, double norm, std::int64_t batches) {
  const std::string what = fmt::format("update {}: the loss ({}) or the gradient norm ({}) is not finite",
                                       state_.step + 1, loss, norm);
  const std::string resume = checkpoint_step_ >= 0 || state_.step > 0
                                 ? "; the last checkpoint, " + files_.checkpoint() + ", is kept"
                                 : "";
  if (options_.on_non_finite == NonFiniteSteps::stop)
    throw Error(what + " (training diverged: lower --learning-rate, or pass --on-non-finite skip)" + resume);
  ++state_.skipped_steps;
  state_.batch_in_epoch += batches;  // those batches are passed over, not retried
  if (++skipped_in_a_row_ >= kMaxSkippedInARow)
    throw Error(fmt::format("{}, and so were the {} updates before it: training diverged; lower "
                            "--learning-rate{}", what, kMaxSkippedInARow - 1, resume));
  spdlog::warn("{}: update skipped ({} skipped so far)", what, state_.skipped_steps);
}

void Trainer::show_progress(std::size_t batches_in_epoch) {
  const double window_seconds = seconds_since(window_.start);
  const double tokens_per_second = static_cast<double>(window_.tokens) / window_seconds;
  const double step_seconds = window_seconds / static_cast<double>(window_.steps);
  double eta = INFINITY;
  if (options_.max_steps > 0) eta = std::min(eta, step_seconds * static_cast<double>(options_.max_steps - state_.step));
  if (options_.max_minutes > 0) eta = std::min(eta, options_.max_minutes * 60 - seconds_since(run_start_));
  if (options_.max_epochs > 0) {
    const double batches_per_step = std::min<double>(options_.accumulate, static_cast<double>(batches_in_epoch));
    const double steps_left =
        (static_cast<double>(batches_in_epoch) - static_cast<double>(state_.batch_in_epoch) +
         static_cast<double>(options_.max_epochs - state_.epoch - 1) * static_cast<double>(batches_in_epoch)) /
        batches_per_step;
    eta = std::min(eta, step_seconds * steps_left);
  }
  const ProgressRecord record{state_.step,
                              state_.epoch + 1,
                              window_.loss / static_cast<double>(window_.tokens),
                              std::exp(std::min(window_.nll / static_cast<double>(window_.tokens), 50.0)),
                              window_.learning_rate,
                              window_.gradient_norm / static_cast<double>(window_.steps),
                              tokens_per_second,
                              state_.seconds};
  char text[256];
  std::snprintf(text, sizeof text,
                "ep %lld | step %lld | loss %.3f | ppl %.1f | lr %.2e | gnorm %.2f | %.0f tgt tok/s | %s | ETA %s",
                static_cast<long long>(record.epoch), static_cast<long long>(record.step), record.loss,
                record.perplexity, record.learning_rate, record.gradient_norm, record.target_tokens_per_second,
                ProgressLine::format_duration(state_.seconds).c_str(), ProgressLine::format_duration(eta).c_str());
  spdlog::info(text);
  log_.write(record);
  window_ = Window{};
}

std::string Trainer::limit_reached() {
  // The first limit reached, by number; rank 0's clock decides the time
  // budget, and a stop request on any rank stops all.
  enum Limit { none, steps, minutes, interrupted };
  int limit = none;
  if (options_.max_steps > 0 && state_.step >= options_.max_steps) limit = steps;
  else if (ranks_.is_root() && options_.max_minutes > 0 && seconds_since(run_start_) >= options_.max_minutes * 60)
    limit = minutes;
  else if (stop_requested) limit = interrupted;
  if (ranks_.size() > 1) limit = ranks_.max(limit, "the stop check");
  interrupted_ = limit == interrupted;
  switch (limit) {
    case steps: return "reached --max-steps " + std::to_string(options_.max_steps);
    case minutes: return fmt::format("reached the time budget of {:g} minutes", options_.max_minutes);
    case interrupted: return "interrupted";
    default: return "";
  }
}

TrainingState Trainer::run() {
  // The ranks start from rank 0's weights (the same seed gives the same ones;
  // this makes sure).
  if (ranks_.size() > 1) {
    for (const auto& parameter : model_.network->parameters()) ranks_.broadcast(parameter.value, parameter.size);
    model_.network->weights_changed();
  }
  run_start_ = last_checkpoint_ = Clock::now();
  seconds_before_run_ = state_.seconds;
  validated_step_ = state_.step;  // a resumed run has nothing new to validate yet
  window_ = Window{};
  const std::string early_stop =
      "early stopping: no improvement in " + std::to_string(options_.patience) + " validations";
  std::string reason;
  auto last_display = Clock::now();
  while (reason.empty()) {
    if (options_.max_epochs > 0 && state_.epoch >= options_.max_epochs) {
      reason = "reached --max-epochs " + std::to_string(options_.max_epochs);
      break;
    }
    const auto plan = plan_training_batches(train_.pairs, options_.batching, options_.seed,
                                 static_cast<std::uint64_t>(state_.epoch));
    while (state_.batch_in_epoch < static_cast<std::int64_t>(plan.size())) {
      // Checked before the step, so resuming a finished run trains no further.
      if (!(reason = limit_reached()).empty()) break;
      if (!train_step(plan)) continue;  // skipped: nothing to show, save or validate
      if (ranks_.is_root() && seconds_since(last_display) >= options_.display_seconds) {
        show_progress(plan.size());
        last_display = Clock::now();
      }
      if (ranks_.is_root() && options_.checkpoint_minutes > 0 &&
          seconds_since(last_checkpoint_) >= 60 * options_.checkpoint_minutes)
        save_checkpoint();
      if (options_.valid_every > 0 && state_.step % options_.valid_every == 0 && validate_and_save()) {
        reason = early_stop;
        break;
      }
    }
    if (state_.batch_in_epoch >= static_cast<std::int64_t>(plan.size())) {
      ++state_.epoch;
      state_.batch_in_epoch = 0;
      spdlog::info("epoch {} done", state_.epoch);
      // Every epoch ends with a checkpoint, so a killed run loses at most one epoch.
      if (options_.valid_every == 0) {
        if (validate_and_save() && reason.empty()) reason = early_stop;
      } else if (ranks_.is_root()) {
        save_checkpoint();
      }
    }
  }
  // The steps since the last validation count too: a run that stops on a
  // limit validates its final weights (the best model may be them). An
  // interrupted run leaves that to the checkpoint. Either way a model file
  // exists at the end.
  if (ranks_.is_root()) {
    if (interrupted_) {
      if (!state_.has_best) save_model();
    } else if (validated_step_ != state_.step || !state_.has_best) {
      const auto start = Clock::now();
      if (valid_.pairs.empty()) save_model();
      else after_validation(validate());
      state_.overhead_seconds += seconds_since(start);
    }
    if (checkpoint_step_ != state_.step) save_checkpoint();
    update_seconds();
  }
  share_from_root(false);  // every rank returns the run's state
  if (ranks_.size() > 1)
    spdlog::info("{} ranks: {:.1f} s of this run's {:.1f} s in the gradient sums (waiting for the slowest rank "
                 "included)", ranks_.size(), sum_seconds_, seconds_since(run_start_));
  if (state_.skipped_steps > 0)
    spdlog::warn("{} updates skipped for a non-finite loss or gradient", state_.skipped_steps);
  spdlog::info("stopped: {} | step {} | {} target tokens in {} of training ({:.0f} tgt tok/s; {} validating "
               "and saving) | best model in {}, checkpoint in {}",
               reason, state_.step, state_.target_tokens, ProgressLine::format_duration(state_.training_seconds()),
               static_cast<double>(state_.target_tokens) / std::max(state_.training_seconds(), 1e-9),
               ProgressLine::format_duration(state_.overhead_seconds), files_.model(), files_.checkpoint());
  return state_;
}

}  // namespace nmt
