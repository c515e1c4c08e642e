#pragma once
// The `nmt` subcommands. Each takes the arguments after its name and returns the
// process exit code; errors are thrown (nmt::Error, boost::program_options::error)
// and turned into messages by main().

#include <string>
#include <vector>

namespace nmt::cli {

using Args = std::vector<std::string>;

int run_vocab(const Args& args);
int run_tokenize(const Args& args);
int run_detokenize(const Args& args);
int run_bleu(const Args& args);
int run_train(const Args& args);
int run_translate(const Args& args);
int run_generate(const Args& args);
int run_eval_classify(const Args& args);
int run_classify(const Args& args);
int run_score(const Args& args);
int run_info(const Args& args);
int run_average(const Args& args);
int run_shortlist(const Args& args);

}  // namespace nmt::cli
