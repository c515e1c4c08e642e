// `nmt generate`: text from a language model (nmt train --task lm).

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/model/generator.h"
#include "nmt/model/translation_model.h"
#include "options.h"

namespace nmt::cli {

int run_generate(const Args& args) {
  const CommandSpec spec{
      "generate", "nmt generate -m MODEL [--prompt TEXT | -i FILE] [-n N] [options]",
      "Writes text from a language model (nmt train --task lm): for each prompt (--prompt,\n"
      "each line of -i, or none: an empty one) N continuations, one per line, each the prompt\n"
      "followed by what the model wrote, until it ends the sentence or --max-length tokens.\n"
      "Sampling: greedy (the most probable token), temperature (a draw from the softmax at\n"
      "--temperature), topk (among the --top-k most probable) or topp (among the fewest tokens\n"
      "holding --top-p of the probability). The same --seed gives the same text."};
  std::string model_path, prompt, input, output;
  bool has_prompt = false;
  SamplingOptions sampling;
  std::string method = enum_name(sampling_method_names(), sampling.method);
  int samples = 1, threads = 0;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "language model from nmt train --task lm")
      ("prompt", po::value(&prompt)->value_name("TEXT"), "the text to continue")
      ("input,i", po::value(&input)->value_name("FILE"), "prompts, one per line (- = stdin)")
      ("output,o", po::value(&output)->default_value("-")->value_name("FILE"), "the texts (- = stdout)")
      ("samples,n", po::value(&samples)->default_value(samples), "continuations per prompt")
      ("max-length", po::value(&sampling.max_length)->default_value(sampling.max_length),
       "tokens to write after the prompt, at most")
      ("sampling", choice(&method, "sampling", enum_choices(sampling_method_names()))->default_value(method),
       "greedy, temperature, topk or topp")
      ("temperature", po::value(&sampling.temperature)->default_value(sampling.temperature, "1"),
       "divides the logits before sampling (< 1: safer text, > 1: more varied)")
      ("top-k", po::value(&sampling.top_k)->default_value(sampling.top_k), "topk: tokens to draw among")
      ("top-p", po::value(&sampling.top_p)->default_value(sampling.top_p, "0.9"),
       "topp: probability the tokens drawn among hold")
      ("seed", po::value(&sampling.seed)->default_value(sampling.seed), "random seed of the draws")
      ("threads", po::value(&threads)->default_value(0), "threads (0 = all cores)");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  has_prompt = vm.count("prompt") != 0;
  if (has_prompt && !input.empty()) throw po::error("give --prompt or -i, not both");
  require_at_least(samples, 1, "samples");
  require_threads(threads);
  sampling.method = parse_enum(sampling_method_names(), method, "sampling");
  try {
    check(sampling);
  } catch (const Error& e) {
    throw po::error(e.what());
  }
  if (!input.empty()) refuse_same_file(input, "input", output, "output");

  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  auto model = TranslationModel::load(dnn, model_path);
  Generator generator(model);
  LineWriter writer(output);
  // One prompt's samples at a time (they step together), each prompt's
  // draws seeded by the seed and its line number.
  std::uint64_t prompt_number = 0;
  const auto continue_prompt = [&](const std::string& text) {
    SamplingOptions options = sampling;
    options.seed = sampling.seed + prompt_number++ * 0x9E3779B97F4A7C15ull;
    for (const auto& sample : generator.generate({text}, samples, options)) writer.write(sample);
  };
  if (input.empty()) {
    continue_prompt(prompt);
  } else {
    LineReader reader(input);
    std::string line;
    while (reader.next(line)) {
      require_utf8(line, reader.name(), reader.line_number());
      continue_prompt(line);
    }
  }
  writer.commit();
  return 0;
}

}  // namespace nmt::cli
