// `nmt average`: checkpoint averaging (the element-wise mean of the weights of
// several models or checkpoints of one run).

#include <spdlog/spdlog.h>

#include "commands.h"
#include "nmt/model/average.h"
#include "options.h"

namespace nmt::cli {

int run_average(const Args& args) {
  const CommandSpec spec{
      "average", "nmt average -o OUT MODEL [MODEL ...]",
      "Writes a model whose weights are the element-wise mean of the given models' or\n"
      "checkpoints' weights (summed in double precision), as OpenNMT-py's\n"
      "average_models.py and Marian's average.py do: the last few checkpoints of a run\n"
      "averaged usually translate a little better than any one of them. The files must\n"
      "share the architecture, the vocabularies and the tensors. The output takes the\n"
      "configuration, vocabularies and training record of the first file and no\n"
      "optimizer state (one input turns a checkpoint into a plain model); it is written\n"
      "atomically, so OUT may be one of the inputs."};
  std::string output;
  std::vector<std::string> models;
  po::options_description desc("Options");
  desc.add_options()
      ("output,o", po::value(&output)->required()->value_name("FILE"), "the averaged model")
      ("models", po::value(&models)->multitoken()->value_name("MODEL..."),
       "models or checkpoints to average (also given as the arguments)");
  po::positional_options_description positional;
  positional.add("models", -1);
  po::variables_map vm;
  if (!parse_command_line(spec, desc, &positional, args, vm)) return 0;
  if (models.empty()) throw po::error("no models to average: nmt average -o OUT MODEL [MODEL ...]");

  average_model_files(models).save(output);
  spdlog::info("averaged {} file{} into {}", models.size(), models.size() == 1 ? "" : "s", output);
  return 0;
}

}  // namespace nmt::cli
