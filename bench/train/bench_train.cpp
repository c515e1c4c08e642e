// Speed of a whole training step of the translation model (batch in, optimizer
// update done) against oneDNN's f32 matmul measured in the same run, plus the
// parts that are not LSTM: output projection, softmax cross-entropy, Adam.
//
//   bench_train [--threads N] [--batch N] [--source-length T] [--target-length T]
//               [--vocab V] [--embedding E] [--hidden H] [--layers L] [--repeats K]
//               [--attention none|dot|general] [--precision f32|bf16]
//
// FLOPs counted (multiply-add = 2): LSTM layers 2*4H*(C+H) per token forward,
// output projection 2*H*V per target token forward, attention 2*2*S*H (scores
// and context) + 2*2H*H (combine) per target token; backward = 2x forward.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench_util.h"
#include "nmt/core/precision.h"
#include "nmt/layers/softmax_cross_entropy.h"
#include "nmt/model/seq2seq_model.h"
#include "nmt/tokenization/subword_model.h"
#include "nmt/training/gradients.h"
#include "nmt/training/optimizer.h"

using namespace nmt;
using namespace nmt::bench;

namespace {

struct Options {
  int threads = 1, batch = 64, source_length = 30, target_length = 30;
  int vocab = 8000, embedding = 256, hidden = 512, layers = 2, repeats = 10;
  std::string attention = "none";
  std::string precision = "f32";
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (name == "--attention") o.attention = argv[i + 1];
    else if (name == "--precision") o.precision = argv[i + 1];
    else if (name == "--threads") o.threads = value;
    else if (name == "--batch") o.batch = value;
    else if (name == "--source-length") o.source_length = value;
    else if (name == "--target-length") o.target_length = value;
    else if (name == "--vocab") o.vocab = value;
    else if (name == "--embedding") o.embedding = value;
    else if (name == "--hidden") o.hidden = value;
    else if (name == "--layers") o.layers = value;
    else if (name == "--repeats") o.repeats = value;
    else {
      std::fprintf(stderr, "bench_train: unknown option %s\n", name.c_str());
      std::exit(2);
    }
  }
  return o;
}

// A batch of equal-length random sentences: no padding, so every position counts.
Batch random_batch(const Options& o) {
  Rng rng(3);
  std::vector<SentencePair> pairs(static_cast<std::size_t>(o.batch));
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    pairs[i].source.resize(static_cast<std::size_t>(o.source_length));
    pairs[i].target.resize(static_cast<std::size_t>(o.target_length - 1));  // + </s>
    for (auto& id : pairs[i].source) id = 4 + static_cast<int>(rng.next() % (o.vocab - 4));
    for (auto& id : pairs[i].target) id = 4 + static_cast<int>(rng.next() % (o.vocab - 4));
    indices.push_back(i);
  }
  return make_batch(pairs, indices, true);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  DnnContext::set_num_threads(o.threads);
  DnnContext dnn;
  dnn.use_bf16(parse_precision(o.precision) == Precision::bf16);
  ModelConfig config;
  config.source_vocab_size = config.target_vocab_size = o.vocab;
  config.embedding_size = o.embedding;
  config.hidden_size = o.hidden;
  config.layers = o.layers;
  config.attention = parse_attention(o.attention);
  Seq2SeqModel model(dnn, config);
  model.initialize(1);
  Optimizer adam({}, model.parameters());
  model.zero_grad();  // from then on each Adam step leaves the gradients zero
  const Batch batch = random_batch(o);
  const double rows = static_cast<double>(batch.batch_size) * batch.target_length;

  // FLOPs of one step, forward + backward (3x forward).
  auto lstm_flops = [&](double tokens) {
    double per_token = 0;
    for (int l = 0; l < o.layers; ++l) per_token += 2.0 * 4 * o.hidden * ((l == 0 ? o.embedding : o.hidden) + o.hidden);
    return 3.0 * per_token * tokens;
  };
  const double source_tokens = static_cast<double>(batch.batch_size) * batch.source_length;
  const double projection_flops = 3.0 * 2.0 * o.hidden * o.vocab * rows;
  const double attention_flops =
      config.attention ? 3.0 * (2.0 * 2 * o.source_length * o.hidden + 2.0 * 2 * o.hidden * o.hidden) * rows : 0.0;
  const double step_flops = lstm_flops(source_tokens) + lstm_flops(rows) + projection_flops + attention_flops;

  uint64_t step = 0;
  const double step_seconds = median_seconds(o.repeats, [&] {
    model.train_batch(batch, 0.1f, 1.0f / batch.target_tokens, step++);
    adam.step(1e-4, clip_scale(gradient_norm(model.parameters()), 5.0));
    model.weights_changed();
  });
  const double update_seconds = median_seconds(o.repeats, [&] {
    adam.step(1e-4, clip_scale(gradient_norm(model.parameters()), 5.0));
    model.weights_changed();
  });

  // The projection and the loss alone, on the step's shapes.
  layers::Linear projection(dnn, o.hidden, o.vocab);
  Rng rng(2);
  Tensor hidden = random_tensor({static_cast<int64_t>(rows), o.hidden}, rng);
  Tensor logits({static_cast<int64_t>(rows), o.vocab}), grad_hidden(hidden.shape());
  const double projection_seconds = median_seconds(o.repeats, [&] {
    projection.forward(hidden.data(), static_cast<int>(rows), logits.data());
    projection.backward(hidden.data(), logits.data(), static_cast<int>(rows), grad_hidden.data());
  });
  const double softmax_seconds = median_seconds(o.repeats, [&] {
    layers::softmax_cross_entropy(logits.data(), batch.target_output.data(), static_cast<int>(rows), o.vocab,
                                  0.1f, kPadId, 1.0f, logits.data());
  });

  std::string matmul_impl;
  const double matmul_rate = matmul_gflops(dnn, o.repeats, matmul_impl);
  const double step_rate = step_flops / step_seconds * 1e-9;

  std::printf("training step: N=%d T_src=%d T_tgt=%d V=%d E=%d H=%d L=%d attention %s | threads %d | ISA %s | %s\n",
              o.batch, o.source_length, o.target_length, o.vocab, o.embedding, o.hidden, o.layers,
              attention_name(config.attention), DnnContext::num_threads(),
              DnnContext::cpu_isa_name().c_str(), dnn.bf16() ? "bf16" : "f32");
  std::printf("whole step:          %8.1f ms  %7.1f GFLOP/s  %8.0f target tokens/s\n", step_seconds * 1e3, step_rate,
              batch.target_tokens / step_seconds);
  std::printf("  projection f+b:    %8.1f ms  (%4.1f%% of the step)\n", projection_seconds * 1e3,
              100 * projection_seconds / step_seconds);
  std::printf("  softmax x-entropy: %8.1f ms  (%4.1f%%)\n", softmax_seconds * 1e3, 100 * softmax_seconds / step_seconds);
  std::printf("  clip + Adam + reorder: %4.1f ms  (%4.1f%%)\n", update_seconds * 1e3, 100 * update_seconds / step_seconds);
  std::printf("matmul 1920x1024x2048 %s (%s): %7.1f GFLOP/s\n", dnn.bf16() ? "bf16" : "f32", matmul_impl.c_str(),
              matmul_rate);
  std::printf("ratio whole step / matmul: %.2f | peak memory %.0f MiB\n", step_rate / matmul_rate, peak_memory_mib());
  return 0;
}
