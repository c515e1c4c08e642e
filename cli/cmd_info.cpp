// `nmt info`: what a model file or checkpoint holds — architecture,
// vocabularies, parameters, training record, size and checksum — as text or
// as one JSON object.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/model_file.h"
#include "nmt/model/average.h"
#include "nmt/model/model_config.h"
#include "nmt/tokenization/subword_model.h"
#include "options.h"

namespace nmt::cli {

namespace {

using Json = nlohmann::ordered_json;

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// SentencePiece's Debian package ships no header for its model proto, so the
// model type is read from the protobuf wire format: field 2 of ModelProto is
// the TrainerSpec, whose field 3 is model_type (see sentencepiece_model.proto).
// Not with libprotobuf's schema-less parser: libsentencepiece carries its own
// copy of protobuf-lite, and a process linking both crashes at start-up.
bool take_varint(std::string_view& bytes, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !bytes.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes.front());
    bytes.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

struct ProtoField {
  std::uint64_t varint = 0;  // wire type 0
  std::string_view bytes;    // wire type 2
};

// The last occurrence of field `number` of a serialized message (protobuf
// lets a later one override an earlier one); nullopt when absent or malformed.
std::optional<ProtoField> find_proto_field(std::string_view message, std::uint64_t number) {
  std::optional<ProtoField> found;
  while (!message.empty()) {
    std::uint64_t key = 0, length = 0;
    ProtoField field;
    if (!take_varint(message, key)) return std::nullopt;
    switch (key & 7) {
      case 0:
        if (!take_varint(message, field.varint)) return std::nullopt;
        break;
      case 1:
      case 5:
        length = (key & 7) == 1 ? 8 : 4;
        if (message.size() < length) return std::nullopt;
        message.remove_prefix(length);
        break;
      case 2:
        if (!take_varint(message, length) || length > message.size()) return std::nullopt;
        field.bytes = message.substr(0, length);
        message.remove_prefix(length);
        break;
      default:  // groups: SentencePiece uses none
        return std::nullopt;
    }
    if ((key >> 3) == number) found = field;
  }
  return found;
}

std::string subword_model_type(std::string_view model_proto) {
  const auto trainer_spec = find_proto_field(model_proto, 2);
  if (!trainer_spec) return "unknown";
  const auto type = find_proto_field(trainer_spec->bytes, 3);
  if (!type) return "unigram";  // the proto's default
  switch (type->varint) {
    case 1: return "unigram";
    case 2: return "bpe";
    case 3: return "word";
    case 4: return "char";
    default: return "unknown";
  }
}

Json vocabulary(const ModelFileReader& file, const std::string& side) {
  const auto& bytes = file.section("spm/" + side);
  const auto model = SubwordModel::from_bytes(bytes, file.name() + " (" + side + " vocabulary)");
  return {{"size", model.vocab_size()}, {"type", subword_model_type(bytes)}};
}

// Plain scalars that read as JSON numbers, booleans or null keep that type;
// everything else (quoted scalars included) stays a string.
Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = yaml_to_json(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      if (node.Tag() != "!") {
        const auto parsed = Json::parse(node.Scalar(), nullptr, false);
        if (!parsed.is_discarded() && parsed.is_primitive() && !parsed.is_string()) return parsed;
      }
      return node.Scalar();
    }
    default:
      return nullptr;
  }
}

// A text section as a JSON value: a number when it reads as one.
Json optional_section(const ModelFileReader& file, const std::string& section) {
  if (!file.has(section)) return nullptr;
  const auto& text = file.section(section);
  const auto parsed = Json::parse(text, nullptr, false);
  return !parsed.is_discarded() && parsed.is_number() ? parsed : Json(text);
}

Json parse_json_section(const ModelFileReader& file, const std::string& section) {
  try {
    return Json::parse(file.section(section));
  } catch (const Json::exception& e) {
    throw Error(file.name(), "section '" + section + "' is not valid JSON: " + e.what());
  }
}

Json parse_yaml_section(const ModelFileReader& file, const std::string& section) {
  try {
    return yaml_to_json(YAML::Load(file.section(section)));
  } catch (const YAML::Exception& e) {
    throw Error(file.name(), "section '" + section + "' is not valid YAML: " + e.msg);
  }
}

// Everything `nmt info` reports, in the order the text output shows it.
Json describe(const ModelFileReader& file, std::uintmax_t file_size) {
  const auto names = file.section_names();
  const bool checkpoint =
      std::any_of(names.begin(), names.end(), [](const std::string& name) { return starts_with(name, "optimizer/"); });
  Json info;
  info["file"] = file.name();
  info["kind"] = checkpoint ? "checkpoint" : "model";
  info["size_bytes"] = file_size;
  info["format_version"] = file.format_version();
  info["checksum_xxh64"] = fmt::format("{:016x}", file.checksum());

  // Read and written back, so it refuses a config that makes no model and
  // shows the defaults of keys older files lack (attention: none).
  info["architecture"] = Json::parse(ModelConfig::from_json(file.section("config"), file.name()).to_json());
  info["vocabularies"] = {{"source", vocabulary(file, "source")},
                          {"target", vocabulary(file, "target")},
                          {"shared", file.section("spm/source") == file.section("spm/target")}};

  Json tensors = Json::array();
  std::int64_t count = 0;
  for (const auto& name : names) {
    if (!starts_with(name, "param/")) continue;
    const auto shape = file.tensor_shape(name);
    std::int64_t size = 1;
    for (const auto dim : shape) size *= dim;
    count += size;
    tensors.push_back({{"name", name.substr(6)}, {"shape", shape}});
  }
  info["parameters"] = {{"count", count}, {"tensors", tensors}};

  info["optimizer"] = nullptr;
  if (checkpoint)
    info["optimizer"] = {{"method", optional_section(file, "optimizer/method")},
                         {"steps", optional_section(file, "optimizer/steps")}};
  info["training_state"] = file.has("training/state") ? parse_json_section(file, "training/state") : Json();
  info["training_config"] = file.has("training/config") ? parse_yaml_section(file, "training/config") : Json();
  if (file.has(kAveragedFromSection)) info["averaged_from"] = parse_json_section(file, kAveragedFromSection);
  return info;
}

// A value on one line: strings as they are, numbers as short as they read back
// exactly (a float stored as double, like the dropout, shows as 0.2), anything
// else as compact JSON.
std::string inline_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    const auto number = value.get<double>();
    const auto as_float = static_cast<float>(number);
    return static_cast<double>(as_float) == number ? fmt::format("{}", as_float) : fmt::format("{}", number);
  }
  return value.dump();
}

// An object as aligned "key: value" lines; nested objects indent further,
// and lists of objects (e.g. a validation history) get one line per item.
void print_object(std::ostream& out, const Json& object, int indent) {
  std::size_t width = 0;
  for (const auto& entry : object.items()) width = std::max(width, entry.key().size());
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& entry : object.items()) {
    const auto& value = entry.value();
    out << pad << entry.key() << ":";
    const bool has_objects = value.is_array() && std::any_of(value.begin(), value.end(),
                                                             [](const Json& item) { return item.is_structured(); });
    if (value.is_object() && !value.empty()) {
      out << "\n";
      print_object(out, value, indent + 2);
    } else if (has_objects) {
      out << "\n";
      for (const auto& item : value) out << pad << "  - " << inline_text(item) << "\n";
    } else {
      out << std::string(width - entry.key().size() + 1, ' ') << inline_text(value) << "\n";
    }
  }
}

std::string size_text(std::uintmax_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  const char* units[] = {"KiB", "MiB", "GiB"};
  double scaled = static_cast<double>(bytes);
  int unit = -1;
  while (scaled >= 1024 && unit < 2) {
    scaled /= 1024;
    ++unit;
  }
  return unit < 0 ? text : text + fmt::format(" ({:.1f} {})", scaled, units[unit]);
}


// training_config_yaml: the stored text, or null when the file has none.
void print_text(std::ostream& out, const Json& info, const std::string* training_config_yaml, bool verbose) {
  const auto line = [&](const char* key, const std::string& value) {
    out << fmt::format("{:<17}{}\n", std::string(key) + ":", value);
  };
  line("file", info.at("file").get<std::string>());
  line("kind", info.at("kind") == "checkpoint" ? "checkpoint (weights, optimizer state and training state)"
                                            : "model (no optimizer state)");
  line("size", size_text(info.at("size_bytes").get<std::uintmax_t>()));
  line("format version", std::to_string(info.at("format_version").get<std::uint32_t>()));
  line("checksum", "xxh64 " + info.at("checksum_xxh64").get<std::string>());
  out << "architecture:\n";
  print_object(out, info.at("architecture"), 2);

  Json vocabularies;
  for (const char* side : {"source", "target"}) {
    const auto& vocab = info.at("vocabularies").at(side);
    vocabularies[side] = fmt::format("{} pieces, {}", vocab.at("size").get<int>(), vocab.at("type").get<std::string>());
  }
  vocabularies["shared"] = info.at("vocabularies").at("shared").get<bool>()
                               ? "yes (one SentencePiece model for both sides)" : "no";
  out << "vocabularies:\n";
  print_object(out, vocabularies, 2);

  const auto& parameters = info.at("parameters");
  const auto& tensors = parameters.at("tensors");
  line("parameters", fmt::format("{} in {} tensors", parameters.at("count").get<std::int64_t>(), tensors.size()));
  if (verbose) {
    std::size_t width = 0;
    for (const auto& tensor : tensors) width = std::max(width, tensor.at("name").get<std::string>().size());
    for (const auto& tensor : tensors)
      out << fmt::format("  {:<{}}  {}\n", tensor.at("name").get<std::string>(), width,
                         shape_text(tensor.at("shape").get<std::vector<std::int64_t>>()));
  }

  const auto& optimizer = info.at("optimizer");
  line("optimizer", optimizer.is_null() ? "none"
                                        : fmt::format("{}, {} steps", inline_text(optimizer.at("method")),
                                                      inline_text(optimizer.at("steps"))));
  if (info.at("training_state").is_null()) {
    line("training state", "not recorded");
  } else {
    out << "training state:\n";
    print_object(out, info.at("training_state"), 2);
  }
  if (training_config_yaml == nullptr) {
    line("training config", "not recorded");
  } else {
    // As stored, indented: YAML that `nmt train -c` reads back.
    out << "training config:\n";
    std::string_view text = *training_config_yaml;
    while (!text.empty()) {
      const auto end = std::min(text.find('\n'), text.size());
      out << "  " << text.substr(0, end) << "\n";
      text.remove_prefix(std::min(end + 1, text.size()));
    }
  }
  if (info.contains("averaged_from")) {
    out << "averaged from:\n";
    for (const auto& path : info.at("averaged_from")) out << "  " << inline_text(path) << "\n";
  }
}

}  // namespace

int run_info(const Args& args) {
  const CommandSpec spec{
      "info", "nmt info MODEL [--format text|json] [--verbose]",
      "Describes a model file or checkpoint: its architecture, vocabularies (size,\n"
      "SentencePiece type, whether source and target share one), parameter count,\n"
      "optimizer state, training state and configuration (when the file records\n"
      "them), size, format version and the XXH64 checksum stored in its last 8 bytes\n"
      "(verified on reading). --format json prints the same as one JSON object."};
  std::string model_path, format;
  bool verbose = false;
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&model_path)->required()->value_name("FILE"), "model or checkpoint (also the argument)")
      ("format", choice(&format, "format", {"text", "json"})->default_value("text"), "output format")
      ("verbose,v", po::bool_switch(&verbose), "text: also list every tensor and its shape");
  po::positional_options_description positional;
  positional.add("model", 1);
  po::variables_map vm;
  if (!parse_command_line(spec, desc, &positional, args, vm)) return 0;

  const auto file = ModelFileReader::load(model_path);
  const auto info = describe(file, std::filesystem::file_size(model_path));
  if (format == "json") {
    std::cout << info.dump(2) << "\n";
  } else {
    print_text(std::cout, info, file.has("training/config") ? &file.section("training/config") : nullptr, verbose);
  }
  return 0;
}

}  // namespace nmt::cli
