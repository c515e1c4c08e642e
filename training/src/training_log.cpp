#include "nmt/training/training_log.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "nmt/core/error.h"

namespace nmt {

namespace {

// Non-finite values have no JSON spelling; null keeps the line parseable.
nlohmann::ordered_json number(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

TrainingLog::TrainingLog(const std::string& path) : path_(path), out_(path, std::ios::app) {
  if (!out_) throw Error(path, "cannot open the JSON training log for writing");
}

void TrainingLog::write(const ProgressRecord& r) {
  if (path_.empty()) return;
  nlohmann::ordered_json j{{"type", "train"},
                           {"step", r.step},
                           {"epoch", r.epoch},
                           {"loss", number(r.loss)},
                           {"perplexity", number(r.perplexity)},
                           {"learning_rate", r.learning_rate},
                           {"gradient_norm", number(r.gradient_norm)},
                           {"target_tokens_per_second", r.target_tokens_per_second},
                           {"elapsed_seconds", r.elapsed_seconds}};
  write_line(j.dump());
}

void TrainingLog::write(const ValidationRecord& r) {
  if (path_.empty()) return;
  nlohmann::ordered_json j{{"type", "valid"},
                           {"step", r.step},
                           {"epoch", r.epoch},
                           {"perplexity", number(r.perplexity)},
                           {"bleu", number(r.bleu)},
                           {"best", r.best},
                           {"learning_rate", r.learning_rate},
                           {"elapsed_seconds", r.elapsed_seconds}};
  write_line(j.dump());
}

void TrainingLog::write_line(const std::string& json) {
  out_ << json << '\n';
  out_.flush();  // a line per event, complete on disk even if the run is killed
  if (!out_) throw Error(path_, "write error in the JSON training log");
}

}  // namespace nmt
