#include "nmt/training/checkpoint_files.h"

#include <algorithm>
#include <filesystem>
#include <unistd.h>

#include "nmt/core/error.h"

namespace fs = std::filesystem;

namespace nmt {

namespace {

fs::path directory_of(const std::string& path) {
  const auto parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

CheckpointFiles::CheckpointFiles(std::string model_path, int keep)
    : model_path_(std::move(model_path)), keep_(keep) {}

std::string CheckpointFiles::step_checkpoint(std::int64_t step) const {
  return model_path_ + ".step-" + std::to_string(step) + ".checkpoint";
}

void CheckpointFiles::keep(std::int64_t step) const {
  if (keep_ <= 0) return;
  const std::string target = step_checkpoint(step);
  // Linked under a temporary name, then renamed: the step's name never shows a
  // partial file, and an older file of that name is replaced in one step.
  const std::string temporary = target + ".tmp." + std::to_string(::getpid());
  std::error_code error;
  fs::remove(temporary, error);
  fs::create_hard_link(checkpoint(), temporary, error);
  if (error) fs::copy_file(checkpoint(), temporary, fs::copy_options::overwrite_existing, error);
  if (!error) fs::rename(temporary, target, error);
  if (error) {
    fs::remove(temporary);
    throw Error(target, "cannot keep the checkpoint: " + error.message());
  }
  const auto all = kept();
  for (std::size_t k = 0; k + static_cast<std::size_t>(keep_) < all.size(); ++k) fs::remove(all[k], error);
}

std::vector<std::string> CheckpointFiles::kept() const {
  const std::string prefix = fs::path(model_path_).filename().string() + ".step-";
  const std::string suffix = ".checkpoint";
  std::vector<std::pair<std::int64_t, std::string>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory_of(model_path_), error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    found.emplace_back(std::stoll(digits), (directory_of(model_path_) / name).string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  for (auto& [step, path] : found) paths.push_back(std::move(path));
  // Paths as the user spelt the model's: "m.nmt.step-5.checkpoint", not "./m.nmt...".
  if (fs::path(model_path_).parent_path().empty())
    for (auto& path : paths) path = fs::path(path).filename().string();
  return paths;
}

}  // namespace nmt
