// Translation speed and memory:
//  1. sentences/s and target tokens/s of greedy and beam-5 search at batch
//     sizes 1, 16 and 64 on sources of 30 subwords, with a randomly
//     initialized reference-size model (E=256, H=512, L=2, V=8000) or --model
//     FILE. Every output is exactly 30 tokens: </s>'s output bias is set to
//     -1e4 (never chosen) and the length limit to 30, where </s> is forced.
//  2. the decoder's LSTM step (T=1) on oneDNN lstm_forward against one matmul
//     of [x, h] by the stacked gate weights plus the gate maths, batch 1 and 16.
//  3. peak memory (RSS) of `nmt translate` streaming 10,000 and 100,000 short
//     lines with a small model (greedy), showing that it does not grow.
//
//   bench_translate [--threads N] [--model FILE] [--lines N] [--nmt PATH]

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bench_util.h"
#include "lstm_step.h"
#include "nmt/core/random.h"
#include "nmt/model/translation_model.h"
#include "nmt/model/translator.h"
#include "nmt/tokenization/subword_trainer.h"

using namespace nmt;
using namespace nmt::bench;

namespace {

struct Options {
  int threads = 1;
  std::string model;  // empty: random reference-size model
  int lines = 100000;
  std::string nmt = NMT_BINARY;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--threads") o.threads = std::atoi(value.c_str());
    else if (name == "--model") o.model = value;
    else if (name == "--lines") o.lines = std::atoi(value.c_str());
    else if (name == "--nmt") o.nmt = value;
    else {
      std::fprintf(stderr, "bench_translate: unknown option %s\n", name.c_str());
      std::exit(2);
    }
  }
  return o;
}

ModelConfig reference_config() {
  ModelConfig config;
  config.source_vocab_size = config.target_vocab_size = 8000;
  config.embedding_size = 256;
  config.hidden_size = 512;
  config.layers = 2;
  config.dropout = 0.0f;
  config.attention = std::nullopt;  // performance-bounds.md's reference model
  return config;
}

void never_end_early(Seq2SeqModel& network) {
  for (const auto& p : network.parameters())
    if (p.name == "decoder/output/bias") p.value[kEosId] = -1e4f;
}

void search_speed(Seq2SeqModel& network) {
  constexpr int kSourceLength = 30, kOutputLength = 30;
  never_end_early(network);
  Rng rng(5);
  std::vector<std::vector<int>> sources(64, std::vector<int>(kSourceLength));
  for (auto& source : sources)
    for (auto& id : source) id = 4 + static_cast<int>(rng.next() % (network.config().source_vocab_size - 4));
  Translator translator(network);
  std::printf("search speed: source length %d, every output %d tokens\n", kSourceLength, kOutputLength);
  std::printf("| search | batch | sentences | seconds | sentences/s | target tokens/s |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: |\n");
  for (const int beam : {1, 5}) {
    for (const int batch : {1, 16, 64}) {
      DecodingOptions options;
      options.beam_size = beam;
      options.max_length = kOutputLength;
      const int count = batch == 1 ? 8 : batch == 16 ? 32 : 64;
      const std::vector<std::vector<int>> some(sources.begin(), sources.begin() + count);
      const std::vector<std::vector<int>> warmup(sources.begin(), sources.begin() + batch);
      translator.translate_ids(warmup, options, {batch, 0});  // creates the primitives
      std::size_t tokens = 0;
      const double seconds = seconds_of([&] {
        for (const auto& n_best : translator.translate_ids(some, options, {batch, 0}))
          tokens += n_best.front().tokens.size();
      });
      std::printf("| %s | %d | %d | %.2f | %.1f | %.0f |\n", beam == 1 ? "greedy" : "beam 5", batch, count,
                  seconds, count / seconds, static_cast<double>(tokens) / seconds);
      std::fflush(stdout);
    }
  }
}

void lstm_step_speed(DnnContext& dnn) {
  std::printf("\ndecoder LSTM step (T=1), median microseconds:\n"
              "| layer (C -> H) | batch | lstm_forward | matmul + gates | of which matmul | "
              "lstm_forward / matmul + gates | max |diff| h |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  Rng rng(7);
  for (const int input : {256, 512}) {
    layers::LstmLayer layer(dnn, input, 512);
    layer.initialize(3);
    for (const int batch : {1, 16}) {
      const Tensor x = random_tensor({1, batch, input}, rng);
      const Tensor h = random_tensor({batch, 512}, rng), c = random_tensor({batch, 512}, rng);
      const double onednn = median_seconds(200, [&] { layer.forward(x, {&h, &c}, false); });
      MatmulLstmStep step(dnn, layer, batch);
      Tensor h_out({batch, 512}), c_out({batch, 512});
      const double matmul = median_seconds(200, [&] { step.run(x, h, c, h_out, c_out); });
      const double matmul_only = median_seconds(200, [&] { step.multiply(x, h); });
      layer.forward(x, {&h, &c}, false);
      float diff = 0;
      for (int64_t i = 0; i < h_out.size(); ++i)
        diff = std::max(diff, std::abs(h_out[i] - layer.final_h()[i]));
      std::printf("| %d -> 512 | %d | %.1f | %.1f | %.1f | %.2fx | %.1e |\n", input, batch, onednn * 1e6,
                  matmul * 1e6, matmul_only * 1e6, onednn / matmul, static_cast<double>(diff));
    }
  }
}

// Runs a command; returns its exit status, and its peak RSS (MiB) and seconds.
int run_child(const std::vector<std::string>& argv, double& peak_mib, double& seconds) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void streaming_memory(DnnContext& dnn, const Options& o) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("bench_translate." + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::vector<std::string> words{"uno", "dos", "tres", "casa", "perro", "gato", "verde", "mar"};
  auto write_lines = [&](const fs::path& path, int count, uint64_t seed) {
    Rng rng(seed);
    std::ofstream out(path);
    for (int i = 0; i < count; ++i) {
      const int n = 2 + static_cast<int>(rng.next() % 6);
      for (int j = 0; j < n; ++j) out << (j ? " " : "") << words[rng.next() % words.size()];
      out << '\n';
    }
  };
  write_lines(dir / "vocab.txt", 2000, 1);
  SubwordTrainingOptions spm;
  spm.inputs = {(dir / "vocab.txt").string()};
  spm.vocab_size = 40;
  spm.hard_vocab_limit = false;
  spm.threads = 1;
  const std::string spm_bytes = train_subword_model(spm);
  TranslationModel model{SubwordModel::from_bytes(spm_bytes, "spm"), SubwordModel::from_bytes(spm_bytes, "spm"),
                         nullptr};
  ModelConfig config;
  config.source_vocab_size = config.target_vocab_size = model.source_vocab.vocab_size();
  config.embedding_size = 32;
  config.hidden_size = 64;
  config.layers = 1;
  model.network = std::make_unique<Seq2SeqModel>(dnn, config);
  model.network->initialize(1);
  const std::string model_path = (dir / "small.nmt").string();
  model.save(model_path);

  std::printf("\nnmt translate streaming (greedy, E=32 H=64 L=1, V=%d, 2-7 words a line, --max-length 10):\n"
              "| lines | seconds | lines/s | peak RSS MiB |\n| ---: | ---: | ---: | ---: |\n",
              config.target_vocab_size);
  for (const int lines : {o.lines / 10, o.lines}) {
    const fs::path input = dir / ("input." + std::to_string(lines));
    write_lines(input, lines, 2);
    double peak = 0, seconds = 0;
    const int status = run_child({o.nmt, "translate", "-m", model_path, "-i", input.string(), "-o",
                                  (dir / "output").string(), "--quiet", "--max-length", "10",
                                  "--threads", std::to_string(o.threads)},
                                 peak, seconds);
    if (status != 0) std::printf("(nmt translate exited with %d)\n", status);
    std::printf("| %d | %.2f | %.0f | %.1f |\n", lines, seconds, lines / seconds, peak);
  }
  fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  DnnContext::set_num_threads(o.threads);
  DnnContext dnn;
  std::printf("bench_translate: %d thread(s)\n\n", o.threads);
  if (o.model.empty()) {
    Seq2SeqModel network(dnn, reference_config());
    network.initialize(1);
    std::printf("random model E=256 H=512 L=2 V=8000\n");
    search_speed(network);
  } else {
    auto model = TranslationModel::load(dnn, o.model);
    std::printf("model %s\n", o.model.c_str());
    search_speed(*model.network);
  }
  lstm_step_speed(dnn);
  streaming_memory(dnn, o);
  std::printf("\npeak RSS of this process: %.0f MiB\n", peak_memory_mib());
  return 0;
}
