#pragma once
// The arithmetic inference runs in. f32 is exact to training; int8 trades a
// little accuracy for speed on CPUs with an int8 dot product (VNNI).

#include <string>

#include "nmt/core/error.h"

namespace nmt {

enum class Precision { f32, int8 };

inline std::string to_string(Precision precision) { return precision == Precision::int8 ? "int8" : "f32"; }

inline Precision parse_precision(const std::string& name) {
  if (name == "f32") return Precision::f32;
  if (name == "int8") return Precision::int8;
  throw Error("unknown precision '" + name + "' (expected f32 or int8)");
}

}  // namespace nmt
