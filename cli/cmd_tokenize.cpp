// `nmt tokenize` / `nmt detokenize`: stream text through a SentencePiece model,
// line for line (an empty line stays an empty line).

#include <charconv>

#include "commands.h"
#include "nmt/core/error.h"
#include "nmt/core/text_file.h"
#include "nmt/tokenization/subword_model.h"
#include "options.h"

namespace nmt::cli {

namespace {

struct StreamOptions {
  std::string model;
  std::string input = "-";
  std::string output = "-";
  bool ids = false;
};

po::options_description stream_options(StreamOptions& options, const char* ids_help) {
  po::options_description desc("Options");
  desc.add_options()
      ("model,m", po::value(&options.model)->required()->value_name("FILE"),
       "SentencePiece model (.model) from `nmt vocab`")
      ("input,i", po::value(&options.input)->default_value("-")->value_name("FILE"),
       "input text (- = stdin)")
      ("output,o", po::value(&options.output)->default_value("-")->value_name("FILE"),
       "output text (- = stdout)")
      ("ids", po::bool_switch(&options.ids), ids_help);
  return desc;
}

std::vector<std::string_view> split_on_spaces(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (start < line.size()) {
    const std::size_t end = std::min(line.find(' ', start), line.size());
    if (end > start) fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return fields;
}

std::vector<int> parse_ids(std::string_view line, const SubwordModel& model,
                           const LineReader& reader) {
  std::vector<int> ids;
  for (const auto field : split_on_spaces(line)) {
    int id = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), id);
    if (error != std::errc() || end != field.data() + field.size())
      throw Error(reader.name(), reader.line_number(), "not a token id: '" + std::string(field) + "'");
    if (!model.has_id(id))
      throw Error(reader.name(), reader.line_number(),
                  "token id " + std::to_string(id) + " is outside the vocabulary (size " +
                      std::to_string(model.vocab_size()) + ")");
    ids.push_back(id);
  }
  return ids;
}

template <typename Range>
std::string join(const Range& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ' ';
    if constexpr (std::is_same_v<std::decay_t<decltype(item)>, int>)
      out += std::to_string(item);
    else
      out += item;
  }
  return out;
}

// Parses the options, then writes transform(line) for every input line.
// Returns false when only --help was asked for.
template <typename Transform>
bool stream_lines(const CommandSpec& spec, const Args& args, const char* ids_help, Transform transform) {
  StreamOptions options;
  auto desc = stream_options(options, ids_help);
  po::variables_map vm;
  if (!parse_command_line(spec, desc, nullptr, args, vm)) return false;
  const auto model = SubwordModel::load(options.model);
  LineReader reader(options.input);
  LineWriter writer(options.output);
  std::string line;
  while (reader.next(line)) {
    require_utf8(line, reader.name(), reader.line_number());
    writer.write(transform(model, options.ids, line, reader));
  }
  writer.commit();
  return true;
}

}  // namespace

int run_tokenize(const Args& args) {
  const CommandSpec spec{"tokenize", "nmt tokenize -m spm.model [-i FILE] [-o FILE] [--ids]",
                         "Splits each input line into subword pieces separated by spaces."};
  stream_lines(spec, args, "write token ids instead of pieces",
               [](const SubwordModel& model, bool ids, const std::string& line, const LineReader&) {
                 return ids ? join(model.encode_ids(line)) : join(model.encode_pieces(line));
               });
  return 0;
}

int run_detokenize(const Args& args) {
  const CommandSpec spec{"detokenize", "nmt detokenize -m spm.model [-i FILE] [-o FILE] [--ids]",
                         "Joins the space-separated subword pieces of each line back into text."};
  stream_lines(spec, args, "read token ids instead of pieces",
               [](const SubwordModel& model, bool ids, const std::string& line, const LineReader& reader) {
                 if (ids) return model.decode_ids(parse_ids(line, model, reader));
                 const auto fields = split_on_spaces(line);
                 return model.decode_pieces(std::vector<std::string>(fields.begin(), fields.end()));
               });
  return 0;
}

}  // namespace nmt::cli
