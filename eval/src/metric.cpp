#include "nmt/eval/metric.h"

#include "nmt/core/version.h"

namespace nmt::eval {

std::string format_signature(const SignatureContext& context,
                             const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = "nrefs:" + std::to_string(context.num_refs);
  if (context.bootstrap_samples) out += "|bs:" + std::to_string(*context.bootstrap_samples);
  if (context.seed) out += "|seed:" + *context.seed;
  for (const auto& [name, value] : fields) out += "|" + name + ":" + value;
  out += "|version:nmt-";
  out += kVersion;
  return out;
}

}  // namespace nmt::eval
