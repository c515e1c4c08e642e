// `nmt train`: train a translation model on a parallel corpus.

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sched.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>

#include "commands.h"
#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "nmt/core/precision.h"
#include "nmt/training/distributed.h"
#include "nmt/training/train_model.h"
#include "options.h"

namespace nmt::cli {

namespace {

// First Ctrl-C (or SIGTERM, SIGUSR1): finish the step, save a checkpoint,
// exit. Second: die at once, leaving no temporary of a half-written file.
// One thread takes these signals (sigwait); every other thread, Open MPI's and
// OpenMP's included, blocks them from the start and is never interrupted:
// with an asynchronous handler, an MPI rank interrupted while training ended
// with a corrupted heap in about 1 of 10 stops (Open MPI 4.1, tests/mpi).
void take_interrupts_in_a_thread() {
  static sigset_t signals;
  sigemptyset(&signals);
  for (const int signal_number : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&signals, signal_number);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([] {
    for (bool first = true;; first = false) {
      int signal_number = 0;
      if (sigwait(&signals, &signal_number) != 0) return;
      if (!first) remove_temporaries_and_end(signal_number);
      Trainer::request_stop();
    }
  }).detach();
}

void log_to_file_too(const std::string& path) {
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path);
  auto logger = std::make_shared<spdlog::logger>("nmt", spdlog::sinks_init_list{console, file});
  logger->set_pattern("[%Y-%m-%d %H:%M:%S] %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

// A rank's threads when --threads is 0: the cores of this machine shared
// among its ranks, or, when the launcher bound each rank to cores of its own,
// those.
int threads_per_rank(const Distributed& ranks) {
  const int machine = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  cpu_set_t cpus;
  const int usable = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : machine;
  if (usable < machine) {
    if (usable * ranks.local_size() < machine)
      spdlog::warn("the launcher bound each rank to {} of this machine's {} cores; to use them all, start "
                   "{} ranks with mpirun --bind-to none (or --map-by slot:PE=N) or pass --threads",
                   usable, machine, ranks.local_size());
    return usable;
  }
  return std::max(1, machine / ranks.local_size());
}

// Only rank 0 logs: the others say only what goes wrong, naming themselves.
void log_as_rank(const Distributed& ranks) {
  if (ranks.is_root()) return;
  spdlog::set_level(spdlog::level::err);
  spdlog::set_pattern("[%H:%M:%S] " + ranks.describe() + ": %v");
}

// Every numeric option in its range (the architecture's sizes and dropout are
// ModelConfig's to check), before any data is read.
void check_ranges(const TrainingOptions& options, const NewModelOptions& fresh, int max_length, int threads,
                  double collective_timeout) {
  require_threads(threads);
  require_at_least(collective_timeout, 0, "collective-timeout");
  require_at_least(max_length, 1, "max-length");
  require_at_least(fresh.joint_vocab_size, 1, "vocab-size");
  require_at_least(options.batching.sentences, 1, "batch-size");
  require_at_least(options.batching.tokens, 0, "batch-tokens");
  require_at_least(options.accumulate, 1, "accumulate");
  require_option(options.schedule.base > 0, "learning-rate", "> 0", options.schedule.base);
  require_at_least(static_cast<double>(options.schedule.warmup_steps), 0, "warmup-steps");
  require_option(options.schedule.decay_factor > 0 && options.schedule.decay_factor <= 1, "lr-decay-factor",
                 "in (0, 1]", options.schedule.decay_factor);
  require_at_least(static_cast<double>(options.schedule.decay_steps), 1, "lr-decay-steps");
  require_at_least(options.clip_norm, 0, "clip-norm");
  require_option(options.label_smoothing >= 0 && options.label_smoothing < 1, "label-smoothing", "in [0, 1)",
                 options.label_smoothing);
  require_at_least(options.max_epochs, 0, "max-epochs");
  require_at_least(static_cast<double>(options.max_steps), 0, "max-steps");
  require_at_least(options.max_minutes, 0, "max-minutes");
  require_at_least(static_cast<double>(options.valid_every), 0, "valid-every");
  require_at_least(options.patience, 0, "patience");
  require_at_least(options.valid_batch_size, 1, "valid-batch-size");
  require_at_least(options.display_seconds, 0, "display-seconds");
  require_at_least(options.keep_checkpoints, 0, "keep-checkpoints");
  require_at_least(options.checkpoint_minutes, 0, "checkpoint-minutes");
}

}  // namespace

int run_train(const Args& args) {
  const CommandSpec spec{
      "train",
      "nmt train --train-src FILE --train-tgt FILE [--valid-src FILE --valid-tgt FILE] [-m MODEL] [options]\n"
      "  or: nmt train --task lm --train FILE [--valid FILE] [-m MODEL] [options]",
      "Trains an LSTM encoder-decoder on line-aligned parallel files (or, with --task lm, an\n"
      "LSTM language model on one text, a sentence per line; see nmt generate). The best model\n"
      "(by validation BLEU or perplexity) goes to MODEL, the last checkpoint to MODEL.checkpoint;\n"
      "Ctrl-C saves a checkpoint and --resume continues exactly where training stopped.\n"
      "Without --source-vocab/--target-vocab (--vocab for a language model), a joint\n"
      "SentencePiece model is trained first (MODEL.spm.model)."};
  TrainingOptions options;
  NewModelOptions fresh;
  ModelConfig& config = fresh.config;
  std::string log_path, precision, attention = attention_name(config.attention);
  std::string task = enum_name(model_task_names(), config.task), lm_train, lm_valid, lm_vocab;
  std::string train_text, train_labels, valid_text, valid_labels, pooling = enum_name(pooling_names(), config.pooling);
  std::string optimizer = enum_name(optimizer_method_names(), options.optimizer.method);
  std::string lr_decay = enum_name(learning_rate_decay_names(), options.schedule.decay);
  std::string early_stopping = enum_name(early_stopping_names(), options.early_stopping);
  std::string on_non_finite = enum_name(non_finite_steps_names(), options.on_non_finite);
  int threads = 0, max_length = 100;
  double collective_timeout = 300;
  bool resume = false, tied = false, bidirectional = false;
  po::options_description data("Data");
  data.add_options()
      ("train-src", po::value(&options.train_source)->value_name("FILE"), "training source text")
      ("train-tgt", po::value(&options.train_target)->value_name("FILE"), "training target text")
      ("train", po::value(&lm_train)->value_name("FILE"), "--task lm: the training text, a sentence per line")
      ("valid", po::value(&lm_valid)->value_name("FILE"), "--task lm: the validation text")
      ("vocab", po::value(&lm_vocab)->value_name("FILE"),
       "--task lm or classify: the SentencePiece model (nmt vocab, e.g. --type char)")
      ("train-text", po::value(&train_text)->value_name("FILE"), "--task classify: the training sentences")
      ("train-labels", po::value(&train_labels)->value_name("FILE"), "--task classify: their labels, one per line")
      ("valid-text", po::value(&valid_text)->value_name("FILE"), "--task classify: the validation sentences")
      ("valid-labels", po::value(&valid_labels)->value_name("FILE"), "--task classify: their labels")
      ("valid-src", po::value(&options.valid_source)->value_name("FILE"), "validation source text")
      ("valid-tgt", po::value(&options.valid_target)->value_name("FILE"), "validation target text")
      ("model,m", po::value(&options.model_path)->default_value(options.model_path)->value_name("FILE"),
       "where the model goes")
      ("source-vocab", po::value(&fresh.source_vocab)->value_name("FILE"), "source SentencePiece model (nmt vocab)")
      ("target-vocab", po::value(&fresh.target_vocab)->value_name("FILE"), "target SentencePiece model")
      ("vocab-size", po::value(&fresh.joint_vocab_size)->default_value(fresh.joint_vocab_size), "size of the joint subword model trained when none is given")
      ("max-length", po::value(&max_length)->default_value(max_length), "drop pairs with a side longer than this (subwords)");
  po::options_description model("Model");
  model.add_options()
      ("task", choice(&task, "task", enum_choices(model_task_names()))->default_value(task),
       "translation, lm (a language model of one text: --train, --valid, --vocab) or classify (a sentence "
       "classifier: --train-text, --train-labels, --valid-text, --valid-labels, --vocab)")
      ("pooling", choice(&pooling, "pooling", enum_choices(pooling_names()))->default_value(pooling),
       "--task classify: what the labels are read from: the encoder's final state, or the mean or maximum of its states")
      ("embedding-size", po::value(&config.embedding_size)->default_value(config.embedding_size), "embedding size E")
      ("hidden-size", po::value(&config.hidden_size)->default_value(config.hidden_size), "LSTM hidden size H")
      ("layers", po::value(&config.layers)->default_value(config.layers), "LSTM layers in encoder and decoder")
      ("dropout", po::value(&config.dropout)->default_value(config.dropout, fmt::format("{}", config.dropout)), "dropout between layers and before the output")
      ("tied-embeddings", po::bool_switch(&tied), "share target embedding and output projection (needs E = H)")
      ("reverse-source", po::value(&config.reverse_source)->default_value(true, "true"), "read the source backwards")
      ("attention", choice(&attention, "attention", {"none", "dot", "general"})->default_value(attention),
       "Luong attention over the encoder's outputs: none, dot (score h.s) or general (h.W s)")
      ("bidirectional-encoder", po::bool_switch(&bidirectional),
       "the encoder's bottom layer reads the source both ways (with --layers 1 its outputs are 2H wide)");
  po::options_description training("Training");
  training.add_options()
      ("batch-size", po::value(&options.batching.sentences)->default_value(options.batching.sentences), "sentences per batch")
      ("batch-tokens", po::value(&options.batching.tokens)->default_value(0), "if > 0: padded target tokens per batch")
      ("accumulate", po::value(&options.accumulate)->default_value(1), "batches per optimizer step")
      ("optimizer", choice(&optimizer, "optimizer", enum_choices(optimizer_method_names()))->default_value(optimizer), "optimizer")
      ("learning-rate", po::value(&options.schedule.base)->default_value(options.schedule.base, fmt::format("{}", options.schedule.base)), "learning rate")
      ("warmup-steps", po::value(&options.schedule.warmup_steps)->default_value(0), "linear warm-up steps")
      ("lr-decay", choice(&lr_decay, "lr-decay", enum_choices(learning_rate_decay_names()))->default_value(lr_decay),
       "learning-rate decay (plateau: multiply by --lr-decay-factor after each validation without progress)")
      ("lr-decay-factor", po::value(&options.schedule.decay_factor)->default_value(0.5, "0.5"),
       "exponential: factor per --lr-decay-steps; plateau: factor per stalled validation")
      ("lr-decay-steps", po::value(&options.schedule.decay_steps)->default_value(10000), "exponential: steps per decay")
      ("clip-norm", po::value(&options.clip_norm)->default_value(5.0, "5"), "gradient norm clipping (0 = off)")
      ("on-non-finite", choice(&on_non_finite, "on-non-finite", enum_choices(non_finite_steps_names()))->default_value(on_non_finite),
       "a step whose loss or gradient is NaN or infinite: stop (exit 1; the last checkpoint stays) or skip "
       "(drop the update and go on, counted in the log; 100 in a row stop the run)")
      ("label-smoothing", po::value(&options.label_smoothing)->default_value(0.1f, "0.1"), "label smoothing")
      ("max-epochs", po::value(&options.max_epochs)->default_value(options.max_epochs), "stop after this many epochs (0 = no limit)")
      ("max-steps", po::value(&options.max_steps)->default_value(0), "stop after this many steps (0 = no limit)")
      ("max-minutes", po::value(&options.max_minutes)->default_value(0, "0"), "stop after this many minutes (0 = no limit)")
      ("valid-every", po::value(&options.valid_every)->default_value(0), "validate every N steps (0 = every epoch)")
      ("early-stopping", choice(&early_stopping, "early-stopping", enum_choices(early_stopping_names()))->default_value(early_stopping), "validation metric that picks the best model")
      ("patience", po::value(&options.patience)->default_value(5), "stop after this many validations without improvement (0 = never)")
      ("valid-batch-size", po::value(&options.valid_batch_size)->default_value(64), "sentences per validation batch")
      ("seed", po::value(&options.seed)->default_value(1), "random seed (weights, batches, dropout)")
      ("precision", choice(&precision, "precision", {"f32", "bf16", "auto"})->default_value("f32"),
       "arithmetic of the LSTM and matmul primitives: f32, or bf16 inputs and weights with f32 accumulation, "
       "master weights, gradients and optimizer (CPUs with AVX512-BF16 or AMX); auto: bf16 where the CPU has it")
      ("threads", po::value(&threads)->default_value(0),
       "threads (0 = all cores; with several MPI ranks, this machine's cores shared among its ranks)")
      ("collective-timeout", po::value(&collective_timeout)->default_value(collective_timeout, "300"),
       "with several MPI ranks: seconds a step waits for the other ranks before the job ends with an error "
       "(a rank that hangs; 0 = wait forever)")
      ("resume", po::bool_switch(&resume), "continue from MODEL.checkpoint")
      ("checkpoint-minutes", po::value(&options.checkpoint_minutes)->default_value(options.checkpoint_minutes),
       "also write MODEL.checkpoint every N minutes of a long epoch (0 = only at validations and epoch ends)")
      ("keep-checkpoints", po::value(&options.keep_checkpoints)->default_value(0),
       "also keep the last N checkpoints as MODEL.step-S.checkpoint (for nmt average)")
      ("log", po::value(&log_path)->value_name("FILE"), "also write the log to FILE")
      ("log-json", po::value(&options.log_json)->value_name("FILE"),
       "append one JSON object per progress line and per validation to FILE")
      ("display-seconds", po::value(&options.display_seconds)->default_value(10, "10"), "seconds between progress lines");
  po::options_description all;
  all.add(data).add(model).add(training);
  po::variables_map vm;
  // A language model's defaults, also in the configuration --dump-config
  // prints and the model files record: nothing to attend to (an explicit
  // --attention other than none is an error below), no BLEU to validate by,
  // and no label smoothing, which flattens the distribution a language model
  // is to estimate.
  // A classifier's too: no attention, no BLEU, and calibrated probabilities.
  const auto language_model_defaults = [](po::variables_map& values) {
    if (values["task"].as<std::string>() == "translation") return;
    if (values["attention"].defaulted()) values.at("attention").value() = std::string("none");
    if (values["early-stopping"].defaulted()) values.at("early-stopping").value() = std::string("perplexity");
    if (values["label-smoothing"].defaulted()) values.at("label-smoothing").value() = 0.0f;
  };
  if (!parse_command_line(spec, all, nullptr, args, vm, language_model_defaults)) return 0;
  config.task = parse_enum(model_task_names(), task, "task");
  // Each task's own data options, and none of the others'.
  const std::vector<const char*> translation_data{"train-src", "train-tgt", "valid-src", "valid-tgt", "source-vocab",
                                                  "target-vocab"};
  const std::vector<const char*> lm_data{"train", "valid"};
  const std::vector<const char*> classify_data{"train-text", "train-labels", "valid-text", "valid-labels", "pooling"};
  const auto refuse = [&](const std::vector<const char*>& names, const std::string& why) {
    for (const char* name : names)
      if (vm.count(name) && !vm[name].defaulted()) throw po::error("--" + std::string(name) + " " + why);
  };
  if (config.task == ModelTask::lm) {
    refuse(translation_data, "is for translation (--task lm reads one text: --train, --valid, --vocab)");
    refuse(classify_data, "is for --task classify");
    if (lm_train.empty()) throw po::error("the option '--train' is required with --task lm");
    // The text is the decoder's: the targets of pairs without a source.
    options.train_target = lm_train;
    options.valid_target = lm_valid;
    fresh.source_vocab = fresh.target_vocab = lm_vocab;
  } else if (config.task == ModelTask::classify) {
    refuse(translation_data, "is for translation (--task classify reads --train-text, --train-labels, ...)");
    refuse(lm_data, "is for --task lm");
    if (train_text.empty() || train_labels.empty())
      throw po::error("--task classify needs --train-text and --train-labels");
    if (valid_text.empty() != valid_labels.empty()) throw po::error("give both --valid-text and --valid-labels, or neither");
    // Sentences on the encoder's side, labels as the targets.
    options.train_source = train_text;
    options.train_target = train_labels;
    options.valid_source = valid_text;
    options.valid_target = valid_labels;
    fresh.source_vocab = fresh.target_vocab = lm_vocab;
    config.pooling = parse_enum(pooling_names(), pooling, "pooling");
  } else {
    refuse(lm_data, "is for --task lm (translation: --train-src, --train-tgt, ...)");
    refuse(classify_data, "is for --task classify");
    if (vm.count("vocab")) throw po::error("--vocab is for --task lm and classify (translation: --source-vocab, --target-vocab)");
    if (options.train_source.empty()) throw po::error("the option '--train-src' is required but missing");
    if (options.train_target.empty()) throw po::error("the option '--train-tgt' is required but missing");
  }
  if (options.valid_source.empty() != options.valid_target.empty() && config.task == ModelTask::translation)
    throw Error("give both --valid-src and --valid-tgt, or neither");
  check_ranges(options, fresh, max_length, threads, collective_timeout);
  options.filter.max_source_length = options.filter.max_target_length = max_length;
  config.tied_embeddings = tied;
  config.bidirectional_encoder = bidirectional;
  config.attention = parse_attention(attention);
  options.optimizer.method = parse_enum(optimizer_method_names(), optimizer, "optimizer");
  options.schedule.decay = parse_enum(learning_rate_decay_names(), lr_decay, "learning-rate decay");
  options.early_stopping = parse_enum(early_stopping_names(), early_stopping, "early-stopping metric");
  options.on_non_finite = parse_enum(non_finite_steps_names(), on_non_finite, "on-non-finite");
  // A resumed run takes its architecture from the checkpoint.
  if (!resume) {
    try {
      config.validate_architecture();
    } catch (const Error& e) {
      throw po::error(e.what());  // options that make no model: bad usage
    }
  }
  options.config_yaml = effective_config_yaml(vm, all);
  const Precision arithmetic = parse_precision(precision);  // bf16 where the CPU lacks it: refused here

  // Before any other thread starts (MPI's, OpenMP's), so that they inherit the
  // blocked signals. From here on Ctrl-C is a request: one that comes while
  // the corpus loads ends the run before its first step, with a checkpoint.
  // mpirun passes SIGUSR1 on to the ranks at once (SIGTERM only after its kill
  // timeout): the way to stop a job of several ranks.
  take_interrupts_in_a_thread();
  Distributed ranks(collective_timeout);
  log_as_rank(ranks);
  if (!log_path.empty() && ranks.is_root()) log_to_file_too(log_path);
  if (threads == 0 && ranks.size() > 1) threads = threads_per_rank(ranks);
  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  dnn.use_bf16(arithmetic == Precision::bf16);
  if (ranks.size() > 1)
    spdlog::info("{} ranks ({} on this machine), {} threads each | oneDNN ISA: {} | precision: {}", ranks.size(),
                 ranks.local_size(), DnnContext::num_threads(), DnnContext::cpu_isa_name(), to_string(arithmetic));
  else
    spdlog::info("threads: {} | oneDNN ISA: {} | precision: {}", DnnContext::num_threads(),
                 DnnContext::cpu_isa_name(), to_string(arithmetic));
  try {
    train_model(dnn, options, fresh, resume, ranks);
  } catch (const std::exception& e) {
    if (ranks.size() == 1) throw;
    // The other ranks may be waiting for this one: end them all.
    std::cerr << "nmt train: error: " << ranks.describe() << ": " << e.what() << "\n" << std::flush;
    ranks.abort(1);
  }
  return 0;
}

}  // namespace nmt::cli
