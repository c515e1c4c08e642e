#pragma once
// A lexical shortlist for the output projection, as Marian's --shortlist: for
// each source subword the target subwords seen with it most strongly in the
// training corpus, plus the most frequent target subwords. A batch is then
// decoded over the union for its sources only (Decoder::restrict_output), so
// the projection, which dominates a decoder step, shrinks from the whole
// vocabulary to a few hundred or thousand rows.
//
// Strength is the Dice coefficient over sentence pairs, 2 c(s, t) / (c(s) +
// c(t)) with c counting the pairs a subword (or both) occur in: unlike
// c(s, t) / c(s) it does not favour the frequent targets, which the frequent
// list holds anyway.
//
// File: text, "nmt-shortlist 1 SOURCE_VOCAB TARGET_VOCAB", then a line of the
// frequent target ids, then one line per source id (0 ..) of its target ids.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace nmt {

struct ShortlistOptions {
  int best = 50;       // target subwords kept per source subword
  int frequent = 200;  // most frequent target subwords, always candidates
};

class Shortlist {
 public:
  // Counts one sentence pair of the training corpus (subword ids).
  class Builder {
   public:
    Builder(int source_vocab_size, int target_vocab_size);
    void add(const std::vector<int>& source, const std::vector<int>& target);
    Shortlist finish(const ShortlistOptions& options) const;

   private:
    int source_vocab_, target_vocab_;
    std::vector<std::int64_t> source_pairs_, target_pairs_, target_tokens_;
    std::unordered_map<std::uint64_t, std::int32_t> together_;  // key s * V + t: pairs with both
    std::vector<int> distinct_source_, distinct_target_;
    std::vector<char> seen_source_, seen_target_;
  };

  // Throws nmt::Error naming the file (and line) when it is unreadable, not a
  // shortlist, or made for other vocabulary sizes.
  static Shortlist load(const std::string& path, int source_vocab_size, int target_vocab_size);
  void save(const std::string& path) const;

  // The target ids the sentences' translations may use, ascending: the
  // frequent ones, each source subword's best, and `always` (e.g. </s>).
  std::vector<int> candidates(const std::vector<const std::vector<int>*>& sources,
                              const std::vector<int>& always) const;

  int source_vocab_size() const { return static_cast<int>(best_.size()); }
  int target_vocab_size() const { return target_vocab_; }
  const std::vector<int>& frequent() const { return frequent_; }
  const std::vector<int>& best(int source_id) const { return best_.at(static_cast<std::size_t>(source_id)); }

 private:
  int target_vocab_ = 0;
  std::vector<int> frequent_;
  std::vector<std::vector<int>> best_;
};

}  // namespace nmt
