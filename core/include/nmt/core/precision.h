#pragma once
// The arithmetic training and inference run in. f32 is exact; bf16 (on CPUs
// with native bf16: AVX512-BF16 or AMX) halves the width of the LSTM and
// matmul inputs and keeps f32 accumulation, master weights and gradients;
// int8 (inference only) trades a little accuracy for speed on CPUs with an
// int8 dot product (VNNI).

#include <string>

namespace nmt {

enum class Precision { f32, bf16, int8 };

std::string to_string(Precision precision);

// "f32", "bf16", "int8", or "auto": bf16 where the CPU runs it natively, f32
// elsewhere. bf16 on a CPU without it is an error naming the ISA oneDNN found.
Precision parse_precision(const std::string& name);

}  // namespace nmt
