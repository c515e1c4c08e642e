#include "nmt/training/trainer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <nlohmann/json.hpp>

#include "nmt/core/error.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/eval/bleu.h"
#include "nmt/eval/corpus_score.h"
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
  return {{"step", s.step},           {"epoch", s.epoch},
          {"batch_in_epoch", s.batch_in_epoch}, {"best_metric", s.best_metric},
          {"has_best", s.has_best},   {"bad_validations", s.bad_validations},
          {"seconds", s.seconds},     {"target_tokens", s.target_tokens}};
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
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw Error(name, std::string("bad training state: ") + e.what());
  }
}

void log_corpus(const char* what, const CorpusStats& stats) {
  spdlog::info("{}: {} pairs of {} lines ({} empty, {} over the length limits dropped), "
               "{} source and {} target tokens",
               what, stats.kept, stats.lines, stats.dropped_empty, stats.dropped_too_long,
               stats.source_tokens, stats.target_tokens);
}

}  // namespace

void Trainer::request_stop() { stop_requested = 1; }

Trainer::Trainer(const TrainingOptions& options, TranslationModel& model)
    : options_(options),
      model_(model),
      train_(load_parallel_corpus(options.train_source, options.train_target, model.source_vocab,
                                  model.target_vocab, options.filter)),
      optimizer_(options.optimizer, model.network->parameters()) {
  if (options_.accumulate < 1) throw Error("--accumulate must be at least 1");
  if (options_.early_stopping != "bleu" && options_.early_stopping != "perplexity")
    throw Error("unknown early-stopping metric '" + options_.early_stopping + "' (use bleu or perplexity)");
  options_.schedule.at(1);  // rejects an unknown decay now rather than mid-run
  log_corpus("training data", train_.stats);
  if (!options_.valid_source.empty()) {
    valid_ = load_parallel_corpus(options.valid_source, options.valid_target, model.source_vocab,
                                  model.target_vocab, options.filter);
    log_corpus("validation data", valid_.stats);
    valid_source_lines_ = read_utf8_lines(options.valid_source);
    valid_target_lines_ = read_utf8_lines(options.valid_target);
  }
}

void Trainer::resume() {
  const auto file = ModelFileReader::load(checkpoint_path());
  model_.network->load_weights(file);
  optimizer_.load(file);
  state_ = state_from_json(file.section("training/state"), file.name());
  spdlog::info("resuming from {}: epoch {}, step {}", checkpoint_path(), state_.epoch + 1, state_.step);
}

void Trainer::save_checkpoint() const {
  ModelFileWriter file;
  model_.write(file);
  optimizer_.save(file);
  file.add("training/state", state_to_json(state_).dump());
  file.save(checkpoint_path());
}

Trainer::Validation Trainer::validate() {
  Validation result;
  double nll = 0;
  std::size_t tokens = 0;
  BatchingOptions batching;
  batching.batch_sentences = options_.valid_batch_size;
  const bool reverse = model_.network->config().reverse_source;
  for (const auto& indices : plan_epoch(valid_.pairs, batching, 0, 0)) {
    const auto sums = model_.network->evaluate_batch(make_batch(valid_.pairs, indices, reverse));
    nll += sums.nll;
    tokens += sums.tokens;
  }
  result.perplexity = std::exp(nll / static_cast<double>(std::max<std::size_t>(tokens, 1)));
  Translator translator(model_);
  const auto hypotheses =
      translator.translate(valid_source_lines_, options_.valid_decoding,
                           BatchLimits{options_.valid_batch_size, 0});
  eval::Bleu bleu;
  result.bleu = eval::corpus_score(bleu, hypotheses, valid_target_lines_);
  return result;
}

bool Trainer::after_validation(const Validation& result) {
  const bool by_bleu = options_.early_stopping == "bleu";
  const double metric = by_bleu ? result.bleu : result.perplexity;
  const bool improved = !state_.has_best || (by_bleu ? metric > state_.best_metric : metric < state_.best_metric);
  if (improved) {
    state_.best_metric = metric;
    state_.has_best = true;
    state_.bad_validations = 0;
    model_.save(options_.model_path);
  } else {
    ++state_.bad_validations;
  }
  spdlog::info("validation at step {}: perplexity {:.2f} | greedy BLEU {:.2f} | {}", state_.step,
               result.perplexity, result.bleu,
               improved ? "best so far, saved " + options_.model_path
                        : "no improvement (" + std::to_string(state_.bad_validations) +
                              (options_.patience > 0 ? "/" + std::to_string(options_.patience) : "") + ")");
  return options_.patience > 0 && state_.bad_validations >= options_.patience;
}

std::string Trainer::progress_line(double loss_per_token, double nll_per_token, double learning_rate,
                                   double gradient_norm, double tokens_per_second, double eta_seconds) const {
  char text[256];
  std::snprintf(text, sizeof text,
                "ep %lld | step %lld | loss %.3f | ppl %.1f | lr %.2e | gnorm %.2f | %.0f tgt tok/s | %s | ETA %s",
                static_cast<long long>(state_.epoch + 1), static_cast<long long>(state_.step),
                loss_per_token, std::exp(std::min(nll_per_token, 50.0)), learning_rate, gradient_norm,
                tokens_per_second, ProgressLine::format_duration(state_.seconds).c_str(),
                ProgressLine::format_duration(eta_seconds).c_str());
  return text;
}

TrainingState Trainer::run() {
  const auto run_start = Clock::now();
  const double seconds_before = state_.seconds;
  const bool reverse = model_.network->config().reverse_source;
  const bool has_validation = !valid_.pairs.empty();

  auto last_display = Clock::now();
  double window_loss = 0, window_nll = 0, window_norm = 0;
  std::int64_t window_tokens = 0, window_steps = 0;
  auto window_start = Clock::now();
  double tokens_per_second = 0;
  bool finished = false;
  std::string reason;

  auto validate_and_check = [&]() {
    if (!has_validation) {
      model_.save(options_.model_path);
      return false;
    }
    return after_validation(validate());
  };

  std::vector<Batch> group;
  while (!finished) {
    if (options_.max_epochs > 0 && state_.epoch >= options_.max_epochs) {
      reason = "reached --max-epochs " + std::to_string(options_.max_epochs);
      break;
    }
    const auto plan = plan_epoch(train_.pairs, options_.batching, options_.seed,
                                 static_cast<std::uint64_t>(state_.epoch));
    const double batches_per_step = std::min<double>(options_.accumulate, plan.size());
    while (state_.batch_in_epoch < static_cast<std::int64_t>(plan.size())) {
      group.clear();
      int tokens = 0;
      for (int k = 0; k < options_.accumulate &&
                      state_.batch_in_epoch + k < static_cast<std::int64_t>(plan.size());
           ++k) {
        group.push_back(make_batch(train_.pairs, plan[state_.batch_in_epoch + k], reverse));
        tokens += group.back().target_tokens;
      }
      model_.network->zero_grad();
      for (std::size_t k = 0; k < group.size(); ++k) {
        const auto sums = model_.network->train_batch(group[k], options_.label_smoothing, 1.0f / tokens,
                                                      dropout_seed(options_.seed, state_.step, static_cast<int>(k)));
        window_loss += sums.loss;
        window_nll += sums.nll;
      }
      const double norm = clip_gradient_norm(model_.network->parameters(), options_.clip_norm);
      const double learning_rate = options_.schedule.at(state_.step + 1);
      optimizer_.step(learning_rate);
      model_.network->weights_changed();
      ++state_.step;
      state_.batch_in_epoch += static_cast<std::int64_t>(group.size());
      state_.target_tokens += tokens;
      state_.seconds = seconds_before + seconds_since(run_start);
      window_tokens += tokens;
      window_norm += norm;
      ++window_steps;
      if (!std::isfinite(norm)) throw Error("training diverged (gradient norm is not finite); lower --learning-rate");

      if (seconds_since(last_display) >= options_.display_seconds) {
        tokens_per_second = static_cast<double>(window_tokens) / seconds_since(window_start);
        const double step_seconds = seconds_since(window_start) / static_cast<double>(window_steps);
        double eta = INFINITY;
        if (options_.max_steps > 0) eta = std::min(eta, step_seconds * static_cast<double>(options_.max_steps - state_.step));
        if (options_.max_minutes > 0) eta = std::min(eta, options_.max_minutes * 60 - seconds_since(run_start));
        if (options_.max_epochs > 0) {
          const double steps_left =
              (static_cast<double>(plan.size() - state_.batch_in_epoch) +
               static_cast<double>(options_.max_epochs - state_.epoch - 1) * static_cast<double>(plan.size())) /
              batches_per_step;
          eta = std::min(eta, step_seconds * steps_left);
        }
        spdlog::info(progress_line(window_loss / window_tokens, window_nll / window_tokens, learning_rate,
                                   window_norm / window_steps, tokens_per_second, eta));
        last_display = Clock::now();
        window_start = last_display;
        window_loss = window_nll = window_norm = 0;
        window_tokens = window_steps = 0;
      }

      if (options_.valid_every > 0 && state_.step % options_.valid_every == 0) {
        if (validate_and_check()) {
          finished = true;
          reason = "early stopping: no improvement in " + std::to_string(options_.patience) + " validations";
        }
        save_checkpoint();
        window_start = Clock::now();  // the rate counts training only
        window_loss = window_nll = window_norm = 0;
        window_tokens = window_steps = 0;
      }
      if (!finished && options_.max_steps > 0 && state_.step >= options_.max_steps) {
        finished = true;
        reason = "reached --max-steps " + std::to_string(options_.max_steps);
      }
      if (!finished && options_.max_minutes > 0 && seconds_since(run_start) >= options_.max_minutes * 60) {
        finished = true;
        reason = "reached the time budget of " + std::to_string(options_.max_minutes) + " minutes";
      }
      if (!finished && stop_requested) {
        finished = true;
        reason = "interrupted";
      }
      if (finished) break;
    }
    if (state_.batch_in_epoch >= static_cast<std::int64_t>(plan.size())) {
      ++state_.epoch;
      state_.batch_in_epoch = 0;
      if (options_.valid_every == 0) {
        spdlog::info("epoch {} done", state_.epoch);
        if (validate_and_check() && !finished) {
          finished = true;
          reason = "early stopping: no improvement in " + std::to_string(options_.patience) + " validations";
        }
      }
    }
  }
  // A model file always exists at the end, even if no validation ran yet.
  if (!has_validation || !state_.has_best) {
    if (has_validation && !stop_requested) after_validation(validate());
    else model_.save(options_.model_path);
  }
  save_checkpoint();
  spdlog::info("stopped: {} | step {} | {} target tokens in {} ({:.0f} tgt tok/s) | best model in {}, "
               "checkpoint in {}",
               reason, state_.step, state_.target_tokens, ProgressLine::format_duration(state_.seconds),
               static_cast<double>(state_.target_tokens) / std::max(state_.seconds, 1e-9), options_.model_path,
               checkpoint_path());
  return state_;
}

}  // namespace nmt
