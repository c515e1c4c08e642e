#pragma once
// Checkpoint averaging, as OpenNMT-py's average_models.py and Marian's
// average.py do it: the element-wise mean of the weights of several model files
// or checkpoints of one run, usually a little better than any one of them.

#include <string>
#include <vector>

#include "nmt/core/model_file.h"

namespace nmt {

// The section of an averaged model that lists the files it was averaged from
// (a JSON array of their paths, as given).
inline constexpr const char* kAveragedFromSection = "average/sources";

// A model file holding the mean of every "param/" tensor of the files at paths
// (summed in double, so that the running sum of many files costs no float
// precision), the configuration and vocabularies of the first file and
// its "training/..." sections, and no optimizer state: one path is allowed and
// turns a checkpoint into a plain model. The files are read one at a time.
// Throws nmt::Error naming the file that cannot be read, or whose
// configuration, vocabularies, tensor names or tensor shapes differ from the
// first file's.
ModelFileWriter average_model_files(const std::vector<std::string>& paths);

}  // namespace nmt
