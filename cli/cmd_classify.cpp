// `nmt classify`: a label per line from a sentence classifier (nmt train --task classify).

#include <cstdio>
#include <string>
#include <vector>

#include "chunked_stream.h"
#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/progress.h"
#include "nmt/core/text_file.h"
#include "nmt/model/translation_model.h"
#include "options.h"

namespace nmt::cli {

int run_classify(const Args& args) {
  const CommandSpec spec{
      "classify", "nmt classify -m MODEL [-i FILE] [-o FILE] [--scores] [options]",
      "Writes the most probable label of each input line under a sentence classifier (nmt train\n"
      "--task classify), in input order. With --scores, each label line is followed, tab-separated,\n"
      "by LABEL=PROBABILITY for every label of the model. An empty line gets the label the model\n"
      "gives to nothing (its bias alone). Score the labels with nmt eval-classify."};
  std::string model_path, input = "-", output = "-";
  BatchLimits batch;
  int threads = 0, chunk_batches = 20;
  bool scores = false, quiet = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "classifier from nmt train --task classify")
      ("input,i", po::value(&input)->default_value(input)->value_name("FILE"), "sentences, one per line (- = stdin)")
      ("output,o", po::value(&output)->default_value(output)->value_name("FILE"), "labels (- = stdout)")
      ("scores", po::bool_switch(&scores), "also every label's probability")
      ("batch-size", po::value(&batch.sentences)->default_value(batch.sentences), "sentences per batch")
      ("threads", po::value(&threads)->default_value(0), "threads (0 = all cores)")
      ("quiet", po::bool_switch(&quiet), "no progress on stderr");
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return 0;
  require_at_least(batch.sentences, 1, "batch-size");
  require_threads(threads);
  refuse_same_file(input, "input", output, "output");

  DnnContext::set_num_threads(threads);
  DnnContext dnn;
  auto model = TranslationModel::load(dnn, model_path);
  if (model.network->config().task != ModelTask::classify)
    throw Error(model_path, std::string("not a classifier (a ") +
                                (model.network->config().task == ModelTask::lm ? "language model: nmt generate"
                                                                               : "translation model: nmt translate") +
                                " uses it)");
  Seq2SeqModel& network = *model.network;
  const int labels = network.config().labels;
  const bool reverse = network.config().reverse_source;
  LineReader reader(input);
  LineWriter writer(output);
  ProgressLine progress("classify", lines_in(input), "lines");
  progress.set_quiet(quiet);
  std::string line;
  const auto read = [&](SentencePair& pair) {
    if (!reader.next(line)) return false;
    require_utf8(line, reader.name(), reader.line_number());
    pair = {model.source_vocab.encode_ids(line), {0}};
    return true;
  };
  const auto classify = [&](const std::vector<SentencePair>& pairs, std::int64_t) {
    std::vector<std::vector<float>> probabilities(pairs.size());
    std::vector<std::size_t> lengths;
    BatchIndices empty;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      lengths.push_back(pairs[i].source.size());
      if (pairs[i].source.empty()) empty.push_back(i);
    }
    auto batches = plan_inference_batches(lengths, batch, true);  // one source length each
    if (!empty.empty()) batches.push_back(empty);
    for (const auto& indices : batches) {
      const Tensor& p = network.classify_batch(make_batch(pairs, indices, reverse));
      for (std::size_t b = 0; b < indices.size(); ++b)
        probabilities[indices[b]].assign(p.data() + b * labels, p.data() + (b + 1) * labels);
    }
    char number[32];
    for (const auto& row : probabilities) {
      std::size_t best = 0;
      for (std::size_t l = 1; l < row.size(); ++l)
        if (row[l] > row[best]) best = l;
      std::string text = model.labels[best];
      if (scores) {
        for (std::size_t l = 0; l < row.size(); ++l) {
          std::snprintf(number, sizeof number, "%.4f", static_cast<double>(row[l]));
          text += "\t" + model.labels[l] + "=" + number;
        }
      }
      writer.write(text);
    }
  };
  stream_in_chunks<SentencePair>(static_cast<std::size_t>(batch.sentences) * chunk_batches, read, classify, writer,
                                 progress);
  return 0;
}

}  // namespace nmt::cli
