#include "nmt/decoder/decoding_options.h"

#include <string>

#include "nmt/core/error.h"

namespace nmt {

void validate(const DecodingOptions& options) {
  if (options.beam_size < 1)
    throw Error("beam size must be at least 1, got " + std::to_string(options.beam_size));
  if (options.n_best < 1 || options.n_best > options.beam_size)
    throw Error("an n-best list of " + std::to_string(options.n_best) +
                " needs a beam size of at least " + std::to_string(options.n_best) + ", got " +
                std::to_string(options.beam_size));
}

}  // namespace nmt
