#pragma once
// Choosing a language model's next token from its logits: the most probable
// one (greedy), or a draw from the softmax at a temperature, optionally
// restricted to the k most probable tokens (top-k) or to the fewest whose
// probabilities add up to p (top-p, nucleus sampling; Holtzman et al., 2020).

#include <cstdint>
#include <random>
#include <vector>

#include "nmt/core/enum_names.h"

namespace nmt {

enum class SamplingMethod { greedy, topk, topp, temperature };

inline const EnumNames<SamplingMethod>& sampling_method_names() {
  static const EnumNames<SamplingMethod> names{{SamplingMethod::greedy, "greedy"},
                                               {SamplingMethod::topk, "topk"},
                                               {SamplingMethod::topp, "topp"},
                                               {SamplingMethod::temperature, "temperature"}};
  return names;
}

struct SamplingOptions {
  SamplingMethod method = SamplingMethod::topp;
  float temperature = 1.0f;  // > 0; divides the logits of every method but greedy
  int top_k = 40;            // topk: draw among this many
  float top_p = 0.9f;        // topp: draw among the fewest tokens holding this much probability
  std::uint64_t seed = 1;    // the same seed and input give the same text
  int max_length = 200;      // tokens generated after the prompt, at most
};

// Throws nmt::Error naming the option when a value is out of range.
void check(const SamplingOptions& options);

// Buffers choose_token() reuses from call to call (one per token generated).
struct SamplingScratch {
  std::vector<float> weights;  // unnormalized probabilities at the temperature
  std::vector<int> order;      // candidate ids, most probable first for top-k and top-p
};

// The chosen token id among logits[0 .. vocab).
int choose_token(const float* logits, int vocab, const SamplingOptions& options, std::mt19937_64& rng,
                 SamplingScratch& scratch);

}  // namespace nmt
