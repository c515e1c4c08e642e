// Loading a model file as `nmt translate -m FILE` does: the container
// (ModelFileReader), the configuration JSON, the tensors, both SentencePiece
// sections, the network built from them; then one short translation, the
// first thing done with a loaded model and where a vocabulary larger than its
// embedding would read out of bounds.
//
// The checksum: a mutated file almost never keeps a valid XXH64 trailer, so
// inputs fed as they are would test the checksum and nothing behind it. Yet
// the checksum only guards against corruption; a crafted file from elsewhere
// carries a valid one, so everything behind it must hold up on its own. Each
// input is therefore parsed twice: as it is (the checksum must refuse it
// unless it matches), then with the trailer recomputed over the body, as a
// crafted file would have it, through the rest of the loader. Recomputing in
// the target, rather than a switch in the reader, leaves the reader exactly
// as shipped.
//
// Checked: only nmt::Error escapes; a tensor shape read is one that fits its
// section; a loaded model's vocabularies match its embeddings and encode text
// to ids within them; a translation is made of target ids and ends.

#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "memory_file.h"
#include "nmt/core/error.h"
#include "nmt/core/model_file.h"
#include "nmt/model/translation_model.h"
#include "nmt/model/translator.h"

namespace {

constexpr std::size_t kHeader = 8 + 4 + 4;  // magic, format version, section count

void with_checksum_recomputed(std::string& bytes) {
  const std::size_t body = bytes.size() - sizeof(std::uint64_t);
  const std::uint64_t checksum = XXH64(bytes.data(), body, 0);
  std::memcpy(bytes.data() + body, &checksum, sizeof(checksum));
}

void check_tensor_shapes(const nmt::ModelFileReader& file) {
  for (const auto& name : file.section_names()) {
    if (name.rfind("param/", 0) != 0) continue;
    try {
      const auto shape = file.tensor_shape(name);
      std::uint64_t count = 1;
      for (const auto dim : shape) {
        NMT_FUZZ_CHECK(dim >= 0);
        count *= static_cast<std::uint64_t>(dim);
      }
      NMT_FUZZ_CHECK(file.section(name).size() == 4 + 8 * shape.size() + 4 * count);
    } catch (const nmt::Error&) {
    }
  }
}

void use(nmt::TranslationModel& model) {
  const auto& config = model.network->config();
  NMT_FUZZ_CHECK(model.source_vocab.vocab_size() == config.source_vocab_size);
  NMT_FUZZ_CHECK(model.target_vocab.vocab_size() == config.target_vocab_size);
  for (const int id : model.source_vocab.encode_ids("a b c ab ba cab"))
    NMT_FUZZ_CHECK(id >= 0 && id < config.source_vocab_size);

  nmt::Translator translator(model);
  nmt::DecodingOptions options;
  options.max_length = 4;
  const auto results = translator.translate_ids({{4, 5}}, options, nmt::BatchLimits{});
  NMT_FUZZ_CHECK(results.size() == 1 && !results[0].empty());
  for (const auto& hypothesis : results[0]) {
    NMT_FUZZ_CHECK(hypothesis.tokens.size() <= 4u);
    for (const int id : hypothesis.tokens) NMT_FUZZ_CHECK(id >= 0 && id < config.target_vocab_size);
  }
  (void)translator.translate({"a b"}, options, nmt::BatchLimits{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static nmt::DnnContext dnn;  // one per process, as in nmt translate
  std::string bytes(nmt::fuzz::as_text(data, size));
  bool accepted_as_is = true;
  try {
    nmt::ModelFileReader::parse(bytes, "fuzz.nmt");
  } catch (const nmt::Error&) {
    accepted_as_is = false;
  }
  if (bytes.size() < kHeader + sizeof(std::uint64_t)) return 0;
  const std::string original = bytes;
  with_checksum_recomputed(bytes);
  if (accepted_as_is) NMT_FUZZ_CHECK(bytes == original);  // it had a valid checksum

  try {
    const auto file = nmt::ModelFileReader::parse(bytes, "fuzz.nmt");
    check_tensor_shapes(file);
    auto model = nmt::TranslationModel::read(dnn, file);
    use(model);
  } catch (const nmt::Error& e) {
    NMT_FUZZ_CHECK(std::string(e.what()).find("fuzz.nmt") != std::string::npos);  // messages name the file
  }
  return 0;
}
