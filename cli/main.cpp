// `nmt`: the command-line front end. Dispatches to subcommands and turns errors
// into one-line messages with a non-zero exit status.

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/program_options/errors.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"
#include "nmt/core/version.h"
#include "nmt/training/distributed.h"

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(const nmt::cli::Args&);
};

const Subcommand kSubcommands[] = {
    {"vocab", "train a SentencePiece subword model on text files", nmt::cli::run_vocab},
    {"tokenize", "split text into subword pieces (stdin to stdout)", nmt::cli::run_tokenize},
    {"detokenize", "join subword pieces back into text (stdin to stdout)",
     nmt::cli::run_detokenize},
    {"train", "train a translation model on a parallel corpus", nmt::cli::run_train},
    {"translate", "translate a file with a trained model", nmt::cli::run_translate},
    {"score", "the model's log-probability of given translations (or a language model's of a text)", nmt::cli::run_score},
    {"generate", "text from a language model (nmt train --task lm)", nmt::cli::run_generate},
    {"bleu", "score a translation with BLEU and chrF (sacreBLEU-exact)", nmt::cli::run_bleu},
    {"classify", "a label per line from a sentence classifier (nmt train --task classify)", nmt::cli::run_classify},
    {"eval-classify", "accuracy, precision, recall, F1 and confusion matrix of predicted labels", nmt::cli::run_eval_classify},
    {"info", "describe a model file or checkpoint", nmt::cli::run_info},
    {"average", "average the weights of several checkpoints of one run", nmt::cli::run_average},
    {"shortlist", "a lexical shortlist that speeds up translation", nmt::cli::run_shortlist},
};

void print_usage(std::ostream& out) {
  out << "nmt " << nmt::kVersion
      << ": LSTM encoder-decoder neural machine translation on CPU\n\n"
         "Usage: nmt <command> [options]   (nmt <command> --help for its options)\n\n"
         "Commands:\n";
  for (const auto& command : kSubcommands) {
    out << "  " << command.name << std::string(15 - std::min<std::size_t>(std::strlen(command.name), 14), ' ')
        << command.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (name == "--version") {
    std::cout << "nmt " << nmt::kVersion << "\n";
    return 0;
  }
  std::ios::sync_with_stdio(false);
  nmt::remove_temporaries_on_interrupt();
  // Logs go to stderr: stdout carries the output (translations, tokens, scores).
  spdlog::set_default_logger(spdlog::stderr_logger_st("nmt"));
  spdlog::set_pattern("[%H:%M:%S] %v");
  for (const auto& command : kSubcommands) {
    if (name != command.name) continue;
    if (name != "train" && nmt::Distributed::launcher_ranks() > 1) {
      std::cerr << "nmt " << name << ": error: started as one of " << nmt::Distributed::launcher_ranks()
                << " MPI ranks, but only nmt train works on several (each rank would do the whole job); "
                   "run it as one process, with --threads for the cores\n";
      return 2;
    }
    const nmt::cli::Args args(argv + 2, argv + argc);
    try {
      const int status = command.run(args);
      // What went to stdout must have arrived: a full disk or a closed pipe
      // is an error, not a silent empty result.
      std::cout.flush();
      if (status == 0 && !std::cout) {
        std::cerr << "nmt " << name << ": error: cannot write to standard output: " << std::strerror(errno) << "\n";
        return 1;
      }
      return status;
    } catch (const boost::program_options::error& e) {
      std::cerr << "nmt " << name << ": " << e.what() << " (see nmt " << name << " --help)\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "nmt " << name << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "nmt: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return 2;
}
