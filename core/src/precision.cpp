#include "nmt/core/precision.h"

#include "nmt/core/dnn_context.h"
#include "nmt/core/error.h"

namespace nmt {

std::string to_string(Precision precision) {
  switch (precision) {
    case Precision::f32: return "f32";
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
  }
  return "unknown";
}

Precision parse_precision(const std::string& name) {
  if (name == "f32") return Precision::f32;
  if (name == "int8") return Precision::int8;
  if (name == "auto") return DnnContext::has_native_bf16() ? Precision::bf16 : Precision::f32;
  if (name == "bf16") {
    if (!DnnContext::has_native_bf16())
      throw Error("bf16 needs a CPU with AVX512-BF16 or AMX; oneDNN found " + DnnContext::cpu_isa_name() +
                  " here (use f32, or auto to pick bf16 only where it runs)");
    return Precision::bf16;
  }
  throw Error("unknown precision '" + name + "' (expected f32, bf16, int8 or auto)");
}

}  // namespace nmt
