#pragma once
// The files of a training run: MODEL (the best model so far), MODEL.checkpoint
// (the last checkpoint, what --resume reads) and, with --keep-checkpoints N,
// MODEL.step-S.checkpoint for the last N checkpoints (for `nmt average`, or to
// go back to an earlier point). A kept checkpoint is a hard link to the bytes
// of MODEL.checkpoint where the file system allows it, so keeping costs no
// second write; elsewhere it is a copy.

#include <cstdint>
#include <string>
#include <vector>

namespace nmt {

class CheckpointFiles {
 public:
  CheckpointFiles(std::string model_path, int keep);

  const std::string& model() const { return model_path_; }
  std::string checkpoint() const { return model_path_ + ".checkpoint"; }
  std::string step_checkpoint(std::int64_t step) const;

  // Called after checkpoint() was written at `step`: keeps it under its step's
  // name and removes the oldest kept ones beyond `keep`. Throws nmt::Error.
  void keep(std::int64_t step) const;
  // The kept checkpoints, oldest first.
  std::vector<std::string> kept() const;

 private:
  std::string model_path_;
  int keep_;
};

}  // namespace nmt
