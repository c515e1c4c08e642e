#pragma once
// The container for model files and checkpoints: named binary sections behind a
// magic string and a format version, closed by an XXH64 checksum of all that
// precedes it, so a truncated or corrupted file is refused with a clear error
// instead of loading garbage weights.
//
// Layout (little-endian):
//   "NMTMODEL" | u32 format version | u32 section count
//   per section: u32 name length | name | u64 size | bytes
//   u64 XXH64 of everything above (seed 0)

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nmt/core/atomic_file.h"

namespace nmt {

inline constexpr std::uint32_t kModelFormatVersion = 1;

// "[512x256]": a tensor shape as messages show it.
std::string shape_text(const std::vector<std::int64_t>& shape);

class ModelFileWriter {
 public:
  void add(const std::string& name, std::string bytes);
  // A float tensor: u32 rank, u64 dims, then the f32 values.
  void add_floats(const std::string& name, const std::vector<std::int64_t>& shape,
                  const float* values);
  std::string serialize() const;
  // Writes atomically (temp file, fsync, rename), section by section: the
  // file is never assembled in memory (a checkpoint of the default model is
  // about 100 MB, and a whole copy of it was most of training's peak memory).
  void save(const std::string& path) const;

 private:
  // The file's bytes in order, to sink, which also sees the checksum last.
  void write(const ByteSink& sink) const;

  std::map<std::string, std::string> sections_;
};

class ModelFileReader {
 public:
  // Throws nmt::Error naming the file when it is missing, not a model file, of an
  // unknown format version, truncated, or fails its checksum.
  static ModelFileReader load(const std::string& path);
  static ModelFileReader parse(std::string bytes, const std::string& name);

  bool has(const std::string& section) const { return sections_.count(section) != 0; }
  // Throws nmt::Error when the section is absent. Sections stay in the file's
  // bytes (a model's tensors are read from there once, not copied twice); a
  // section asked for here is copied out on first use.
  const std::string& section(const std::string& name) const;
  // Copies a float tensor into values, checking that its shape is the expected one.
  void read_floats(const std::string& name, const std::vector<std::int64_t>& shape,
                   float* values) const;
  // The shape a float tensor section declares; throws nmt::Error when the
  // section's size does not match it.
  std::vector<std::int64_t> tensor_shape(const std::string& name) const;
  std::vector<std::string> section_names() const;
  const std::string& name() const { return name_; }
  std::uint32_t format_version() const { return format_version_; }
  // The XXH64 stored at the end of the file (verified on load).
  std::uint64_t checksum() const { return checksum_; }

 private:
  std::string_view bytes_of(const std::string& name) const;

  std::string name_;
  std::shared_ptr<const std::string> bytes_;  // the whole file; shared so copies of the reader see the same
  std::map<std::string, std::string_view> sections_;  // into *bytes_
  mutable std::map<std::string, std::string> copies_;
  std::uint32_t format_version_ = 0;
  std::uint64_t checksum_ = 0;
};

}  // namespace nmt
