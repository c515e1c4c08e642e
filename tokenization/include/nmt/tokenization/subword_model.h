#pragma once
// A SentencePiece subword model: text <-> pieces <-> ids.
// Every model this toolkit trains reserves the same special ids, so that a
// padded batch and the decoder's start/end tokens mean the same in every model.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace nmt {

inline constexpr int kPadId = 0;
inline constexpr int kUnkId = 1;
inline constexpr int kBosId = 2;
inline constexpr int kEosId = 3;

class SubwordModel {
 public:
  // Throws nmt::Error naming the file when it is missing or not a SentencePiece model.
  static SubwordModel load(const std::string& path);
  // From the bytes of a .model file (e.g. a section of a model file); name is for messages.
  static SubwordModel from_bytes(std::string_view bytes, const std::string& name);

  SubwordModel(SubwordModel&&) noexcept;
  SubwordModel& operator=(SubwordModel&&) noexcept;
  ~SubwordModel();

  std::vector<std::string> encode_pieces(std::string_view text) const;
  std::vector<int> encode_ids(std::string_view text) const;
  std::string decode_pieces(const std::vector<std::string>& pieces) const;
  std::string decode_ids(const std::vector<int>& ids) const;

  int vocab_size() const;
  const std::string& piece(int id) const;
  float score(int id) const;
  bool has_id(int id) const { return id >= 0 && id < vocab_size(); }
  // The serialized model, as stored in a .model file.
  std::string to_bytes() const;
  const std::string& name() const { return name_; }

 private:
  SubwordModel(std::unique_ptr<sentencepiece::SentencePieceProcessor> processor, std::string name);
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
  std::string name_;
};

}  // namespace nmt
