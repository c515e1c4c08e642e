#include "nmt/tokenization/subword_model.h"

#include <sentencepiece_processor.h>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"

namespace nmt {

namespace {

void check(const sentencepiece::util::Status& status, const std::string& name,
           const char* what) {
  if (!status.ok()) throw Error(name, std::string(what) + ": " + status.ToString());
}

}  // namespace

SubwordModel::SubwordModel(std::unique_ptr<sentencepiece::SentencePieceProcessor> processor,
                           std::string name)
    : processor_(std::move(processor)), name_(std::move(name)) {}
SubwordModel::SubwordModel(SubwordModel&&) noexcept = default;
SubwordModel& SubwordModel::operator=(SubwordModel&&) noexcept = default;
SubwordModel::~SubwordModel() = default;

SubwordModel SubwordModel::load(const std::string& path) {
  return from_bytes(read_file(path), path);
}

SubwordModel SubwordModel::from_bytes(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) throw Error(name, "not a SentencePiece model: the file is empty");
  auto processor = std::make_unique<sentencepiece::SentencePieceProcessor>();
  const auto status = processor->LoadFromSerializedProto(bytes);
  if (!status.ok())
    throw Error(name, "not a valid SentencePiece model (corrupt or truncated)");
  return SubwordModel(std::move(processor), name);
}

std::vector<std::string> SubwordModel::encode_pieces(std::string_view text) const {
  std::vector<std::string> pieces;
  check(processor_->Encode(text, &pieces), name_, "encoding failed");
  return pieces;
}

std::vector<int> SubwordModel::encode_ids(std::string_view text) const {
  std::vector<int> ids;
  check(processor_->Encode(text, &ids), name_, "encoding failed");
  return ids;
}

std::string SubwordModel::decode_pieces(const std::vector<std::string>& pieces) const {
  std::string text;
  check(processor_->Decode(pieces, &text), name_, "decoding failed");
  return text;
}

std::string SubwordModel::decode_ids(const std::vector<int>& ids) const {
  std::string text;
  check(processor_->Decode(ids, &text), name_, "decoding failed");
  return text;
}

int SubwordModel::vocab_size() const { return processor_->GetPieceSize(); }
const std::string& SubwordModel::piece(int id) const { return processor_->IdToPiece(id); }
float SubwordModel::score(int id) const { return processor_->GetScore(id); }

std::string SubwordModel::to_bytes() const { return processor_->serialized_model_proto(); }

}  // namespace nmt
