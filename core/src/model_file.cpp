#include "nmt/core/model_file.h"

#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"

namespace nmt {

namespace {

constexpr std::string_view kMagic = "NMTMODEL";

template <typename T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Reads fixed-size fields from a byte string, refusing to run past its end.
class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  std::string_view take(std::size_t size) {
    if (size > bytes_.size() - position_)
      throw Error(name_, "model file is truncated (ends at byte " +
                             std::to_string(bytes_.size()) + ")");
    const auto field = bytes_.substr(position_, size);
    position_ += size;
    return field;
  }
  template <typename T>
  T take() {
    T value;
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
    return value;
  }
  bool at_end() const { return position_ == bytes_.size(); }
  std::size_t remaining() const { return bytes_.size() - position_; }

 private:
  std::string_view bytes_;
  const std::string& name_;
  std::size_t position_ = 0;
};

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  std::int64_t count = 1;
  for (const auto dim : shape) count *= dim;
  return count;
}

}  // namespace

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "x" : "") + std::to_string(shape[i]);
  return text + "]";
}

void ModelFileWriter::add(const std::string& name, std::string bytes) {
  sections_[name] = std::move(bytes);
}

void ModelFileWriter::add_floats(const std::string& name, const std::vector<std::int64_t>& shape,
                                 const float* values) {
  std::string bytes;
  append(bytes, static_cast<std::uint32_t>(shape.size()));
  for (const auto dim : shape) append(bytes, static_cast<std::uint64_t>(dim));
  bytes.append(reinterpret_cast<const char*>(values),
               static_cast<std::size_t>(element_count(shape)) * sizeof(float));
  add(name, std::move(bytes));
}

void ModelFileWriter::write(const ByteSink& sink) const {
  XXH64_state_t* state = XXH64_createState();
  if (state == nullptr) throw std::bad_alloc();
  const std::unique_ptr<XXH64_state_t, decltype(&XXH64_freeState)> owned(state, XXH64_freeState);
  XXH64_reset(state, 0);
  const auto put = [&](std::string_view bytes) {
    XXH64_update(state, bytes.data(), bytes.size());
    sink(bytes);
  };
  std::string header(kMagic);
  append(header, kModelFormatVersion);
  append(header, static_cast<std::uint32_t>(sections_.size()));
  put(header);
  for (const auto& [name, bytes] : sections_) {
    header.clear();
    append(header, static_cast<std::uint32_t>(name.size()));
    header += name;
    append(header, static_cast<std::uint64_t>(bytes.size()));
    put(header);
    put(bytes);
  }
  header.clear();
  append(header, static_cast<std::uint64_t>(XXH64_digest(state)));
  sink(header);
}

std::string ModelFileWriter::serialize() const {
  std::size_t size = kMagic.size() + 2 * sizeof(std::uint32_t) + sizeof(std::uint64_t);
  for (const auto& [name, bytes] : sections_)
    size += sizeof(std::uint32_t) + name.size() + sizeof(std::uint64_t) + bytes.size();
  std::string out;
  out.reserve(size);
  write([&out](std::string_view bytes) { out += bytes; });
  return out;
}

void ModelFileWriter::save(const std::string& path) const {
  write_file_atomically(path, [this](const ByteSink& sink) { write(sink); });
}

ModelFileReader ModelFileReader::load(const std::string& path) {
  return parse(read_file(path), path);
}

ModelFileReader ModelFileReader::parse(std::string bytes, const std::string& name) {
  if (bytes.size() < kMagic.size() || std::string_view(bytes).substr(0, kMagic.size()) != kMagic)
    throw Error(name, "not an nmt model file (wrong magic bytes)");
  if (bytes.size() < kMagic.size() + 8 + sizeof(std::uint64_t))
    throw Error(name, "model file is truncated (" + std::to_string(bytes.size()) + " bytes)");
  const std::size_t body_size = bytes.size() - sizeof(std::uint64_t);
  std::uint64_t stored_checksum;
  std::memcpy(&stored_checksum, bytes.data() + body_size, sizeof(stored_checksum));

  ModelFileReader reader;
  reader.bytes_ = std::make_shared<const std::string>(std::move(bytes));
  Cursor cursor(std::string_view(*reader.bytes_).substr(0, body_size), name);
  cursor.take(kMagic.size());
  const auto version = cursor.take<std::uint32_t>();
  if (version != kModelFormatVersion)
    throw Error(name, "model format version " + std::to_string(version) +
                          " is not supported (this nmt reads version " +
                          std::to_string(kModelFormatVersion) + ")");
  // Check the whole file before trusting any size field in it.
  if (XXH64(reader.bytes_->data(), body_size, 0) != stored_checksum)
    throw Error(name, "checksum mismatch: the model file is corrupt or truncated");

  reader.name_ = name;
  reader.format_version_ = version;
  reader.checksum_ = stored_checksum;
  const auto count = cursor.take<std::uint32_t>();
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto name_size = cursor.take<std::uint32_t>();
    std::string section_name(cursor.take(name_size));
    const auto size = cursor.take<std::uint64_t>();
    reader.sections_[section_name] = cursor.take(size);
  }
  if (!cursor.at_end()) throw Error(name, "model file has trailing bytes after its sections");
  return reader;
}

std::string_view ModelFileReader::bytes_of(const std::string& name) const {
  const auto found = sections_.find(name);
  if (found == sections_.end()) throw Error(name_, "model file has no section '" + name + "'");
  return found->second;
}

const std::string& ModelFileReader::section(const std::string& name) const {
  const std::string_view bytes = bytes_of(name);
  const auto [copy, made] = copies_.try_emplace(name);
  if (made) copy->second = std::string(bytes);
  return copy->second;
}

namespace {

// file, tensor: for messages.
std::vector<std::int64_t> take_shape(Cursor& cursor, const std::string& file, const std::string& tensor) {
  const auto rank = cursor.take<std::uint32_t>();
  // The rank is read from the file: checked against the bytes there before it
  // sizes anything, or a crafted rank of 2^32 - 1 allocates 32 GiB.
  if (rank > cursor.remaining() / sizeof(std::uint64_t))
    throw Error(file, "tensor '" + tensor + "' declares " + std::to_string(rank) + " dimensions but its " +
                          std::to_string(cursor.remaining()) + " remaining bytes hold at most " +
                          std::to_string(cursor.remaining() / sizeof(std::uint64_t)));
  std::vector<std::int64_t> shape(rank);
  for (auto& dim : shape) dim = static_cast<std::int64_t>(cursor.take<std::uint64_t>());
  return shape;
}

}  // namespace

std::vector<std::int64_t> ModelFileReader::tensor_shape(const std::string& name) const {
  const std::string_view bytes = bytes_of(name);
  Cursor cursor(bytes, name_);
  const auto shape = take_shape(cursor, name_, name);
  const std::uint64_t data_bytes = bytes.size() - sizeof(std::uint32_t) - shape.size() * sizeof(std::uint64_t);
  // Dims read from a file may be huge: the product is checked for overflow.
  std::uint64_t count = 1;
  bool fits = true;
  for (const auto dim : shape) {
    const auto size = static_cast<std::uint64_t>(dim);
    if (dim < 0 || (size != 0 && count > UINT64_MAX / size)) fits = false;
    else count *= size;
  }
  fits = fits && data_bytes % sizeof(float) == 0 && count == data_bytes / sizeof(float);
  if (!fits)
    throw Error(name_, "tensor '" + name + "' of shape " + shape_text(shape) + " does not fit its " +
                           std::to_string(bytes.size()) + "-byte section");
  return shape;
}

void ModelFileReader::read_floats(const std::string& name, const std::vector<std::int64_t>& shape,
                                  float* values) const {
  Cursor cursor(bytes_of(name), name_);
  const auto stored = take_shape(cursor, name_, name);
  if (stored != shape)
    throw Error(name_, "tensor '" + name + "' has shape " + shape_text(stored) + ", expected " +
                           shape_text(shape));
  const auto data = cursor.take(static_cast<std::size_t>(element_count(shape)) * sizeof(float));
  if (!cursor.at_end()) throw Error(name_, "tensor '" + name + "' has trailing bytes");
  std::memcpy(values, data.data(), data.size());
}

std::vector<std::string> ModelFileReader::section_names() const {
  std::vector<std::string> names;
  for (const auto& entry : sections_) names.push_back(entry.first);
  return names;
}

}  // namespace nmt
