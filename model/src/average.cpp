#include "nmt/model/average.h"

#include <nlohmann/json.hpp>

#include <map>

#include "nmt/core/error.h"
#include "nmt/model/model_config.h"

namespace nmt {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

struct TensorSum {
  std::vector<std::int64_t> shape;
  std::vector<double> sum;
};

std::map<std::string, std::vector<std::int64_t>> param_shapes(const ModelFileReader& file) {
  std::map<std::string, std::vector<std::int64_t>> shapes;
  for (const auto& name : file.section_names())
    if (starts_with(name, "param/")) shapes[name] = file.tensor_shape(name);
  if (shapes.empty()) throw Error(file.name(), "model file has no weights (no 'param/' sections)");
  return shapes;
}

// The file's architecture: its configuration as it is read, so that a key an
// older file lacks compares as its default (no "attention" key is attention
// none), less dropout, which shapes training, not the network (runs with
// different dropout average fine; the output keeps the first file's).
nlohmann::json architecture(const ModelFileReader& file) {
  auto config = nlohmann::json::parse(ModelConfig::from_json(file.section("config"), file.name()).to_json());
  config.erase("dropout");
  return config;
}

// The first configuration key whose value differs, for a message that says
// what to look at ("hidden_size 64, not 32").
std::string config_difference(const nlohmann::json& got, const nlohmann::json& want) {
  for (const auto& [key, value] : want.items()) {
    if (!got.contains(key)) return "no " + key;
    if (got[key] != value) return key + " " + got[key].dump() + ", not " + value.dump();
  }
  for (const auto& [key, value] : got.items())
    if (!want.contains(key)) return key + " " + value.dump() + ", which the first file lacks";
  return "";
}

// What every file must share with the first one; kept instead of the first
// file itself, whose optimizer state may be twice the size of its weights.
struct Reference {
  std::string name;
  nlohmann::json config;
  std::string source_vocab, target_vocab;
  std::string labels;  // a classifier's label list, or empty
};

// Throws unless file can be averaged with the first: the same architecture,
// vocabularies and tensors. Configurations are compared as JSON, not as text,
// so that formatting does not matter.
void check_compatible(const ModelFileReader& file, const Reference& first,
                      const std::map<std::string, TensorSum>& sums) {
  const std::string against = "cannot average with " + first.name + ": ";
  const auto difference = config_difference(architecture(file), first.config);
  if (!difference.empty()) throw Error(file.name(), against + "another architecture (" + difference + ")");
  if (file.section("spm/source") != first.source_vocab)
    throw Error(file.name(), against + "another source vocabulary");
  if (file.section("spm/target") != first.target_vocab)
    throw Error(file.name(), against + "another target vocabulary");
  if ((file.has("labels") ? file.section("labels") : "") != first.labels)
    throw Error(file.name(), against + "other labels");
  const auto shapes = param_shapes(file);
  for (const auto& [name, tensor] : sums) {
    const auto found = shapes.find(name);
    if (found == shapes.end()) throw Error(file.name(), against + "it has no tensor '" + name + "'");
    if (found->second != tensor.shape)
      throw Error(file.name(), against + "tensor '" + name + "' has shape " + shape_text(found->second) +
                                   ", not " + shape_text(tensor.shape));
  }
  for (const auto& entry : shapes)
    if (!sums.count(entry.first))
      throw Error(file.name(), against + "it has a tensor '" + entry.first + "' that the first file lacks");
}

void add_tensors(const ModelFileReader& file, std::map<std::string, TensorSum>& sums) {
  std::vector<float> values;
  for (auto& [name, tensor] : sums) {
    values.resize(tensor.sum.size());
    file.read_floats(name, tensor.shape, values.data());
    for (std::size_t i = 0; i < values.size(); ++i) tensor.sum[i] += values[i];
  }
}

}  // namespace

ModelFileWriter average_model_files(const std::vector<std::string>& paths) {
  if (paths.empty()) throw Error("no model files to average");
  ModelFileWriter out;
  std::map<std::string, TensorSum> sums;
  Reference reference;
  {
    const auto first = ModelFileReader::load(paths.front());
    reference = {first.name(), architecture(first), first.section("spm/source"), first.section("spm/target"),
                 first.has("labels") ? first.section("labels") : ""};
    for (const auto& name : first.section_names())
      if (name == "config" || name == "labels" || starts_with(name, "spm/") || starts_with(name, "training/"))
        out.add(name, first.section(name));
    for (const auto& [name, shape] : param_shapes(first)) {
      std::int64_t count = 1;
      for (const auto dim : shape) count *= dim;
      sums[name] = {shape, std::vector<double>(static_cast<std::size_t>(count), 0.0)};
    }
    add_tensors(first, sums);
  }
  for (std::size_t k = 1; k < paths.size(); ++k) {
    const auto file = ModelFileReader::load(paths[k]);
    check_compatible(file, reference, sums);
    add_tensors(file, sums);
  }

  const auto n = static_cast<double>(paths.size());
  std::vector<float> mean;
  for (const auto& [name, tensor] : sums) {
    mean.resize(tensor.sum.size());
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] = static_cast<float>(tensor.sum[i] / n);
    out.add_floats(name, tensor.shape, mean.data());
  }
  out.add(kAveragedFromSection, nlohmann::json(paths).dump());
  return out;
}

}  // namespace nmt
