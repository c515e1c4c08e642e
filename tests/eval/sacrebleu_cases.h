#pragma once
// Finding the sacreBLEU-scored cases (tests/data/sacrebleu, or NMT_BLEU_TESTDATA
// at run time) and reading their expectations, for the tests that compare
// against them.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "nmt/core/version.h"

namespace nmt::testing {

inline std::filesystem::path sacrebleu_testdata_dir() {
  const char* from_env = std::getenv("NMT_BLEU_TESTDATA");
  return from_env && *from_env ? std::filesystem::path(from_env) : std::filesystem::path(NMT_BLEU_TESTDATA_DEFAULT);
}

// Every folder with an expected.json, sorted.
inline std::vector<std::filesystem::path> sacrebleu_case_dirs() {
  std::vector<std::filesystem::path> dirs;
  const auto root = sacrebleu_testdata_dir();
  if (!std::filesystem::is_directory(root)) return dirs;
  for (const auto& entry : std::filesystem::directory_iterator(root))
    if (std::filesystem::exists(entry.path() / "expected.json")) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// sacreBLEU prints its own version in signatures; ours says nmt-<version>.
inline std::string with_our_version(std::string text) {
  const std::string theirs = "version:2.4.3";
  for (std::size_t at; (at = text.find(theirs)) != std::string::npos;)
    text.replace(at, theirs.size(), std::string("version:nmt-") + nmt::kVersion);
  return text;
}

}  // namespace nmt::testing
