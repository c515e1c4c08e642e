#include "nmt/decoder/shortlist.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

#include "nmt/core/atomic_file.h"
#include "nmt/core/error.h"

namespace nmt {

namespace {

constexpr const char* kMagic = "nmt-shortlist";
constexpr int kVersion = 1;

// The ids of one line, each checked against the vocabulary size.
std::vector<int> parse_ids(const std::string& line, int vocab_size, const std::string& path, std::size_t number) {
  std::vector<int> ids;
  std::istringstream in(line);
  long long id = 0;
  while (in >> id) {
    if (id < 0 || id >= vocab_size)
      throw Error(path, number, "target id " + std::to_string(id) + " outside the vocabulary of " +
                                    std::to_string(vocab_size));
    ids.push_back(static_cast<int>(id));
  }
  if (!in.eof()) throw Error(path, number, "expected target ids (integers) separated by spaces");
  return ids;
}

}  // namespace

Shortlist::Builder::Builder(int source_vocab_size, int target_vocab_size)
    : source_vocab_(source_vocab_size),
      target_vocab_(target_vocab_size),
      source_pairs_(static_cast<std::size_t>(source_vocab_size), 0),
      target_pairs_(static_cast<std::size_t>(target_vocab_size), 0),
      target_tokens_(static_cast<std::size_t>(target_vocab_size), 0),
      seen_source_(static_cast<std::size_t>(source_vocab_size), 0),
      seen_target_(static_cast<std::size_t>(target_vocab_size), 0) {}

void Shortlist::Builder::add(const std::vector<int>& source, const std::vector<int>& target) {
  const auto distinct = [](const std::vector<int>& ids, int vocab, std::vector<char>& seen, std::vector<int>& out) {
    out.clear();
    for (const int id : ids) {
      if (id < 0 || id >= vocab) throw Error("Shortlist: subword id " + std::to_string(id) + " outside the vocabulary");
      if (!seen[static_cast<std::size_t>(id)]) {
        seen[static_cast<std::size_t>(id)] = 1;
        out.push_back(id);
      }
    }
    for (const int id : out) seen[static_cast<std::size_t>(id)] = 0;
  };
  distinct(source, source_vocab_, seen_source_, distinct_source_);
  distinct(target, target_vocab_, seen_target_, distinct_target_);
  for (const int t : target) ++target_tokens_[static_cast<std::size_t>(t)];
  for (const int t : distinct_target_) ++target_pairs_[static_cast<std::size_t>(t)];
  for (const int s : distinct_source_) {
    ++source_pairs_[static_cast<std::size_t>(s)];
    for (const int t : distinct_target_)
      ++together_[static_cast<std::uint64_t>(s) * static_cast<std::uint64_t>(target_vocab_) + static_cast<std::uint64_t>(t)];
  }
}

Shortlist Shortlist::Builder::finish(const ShortlistOptions& options) const {
  if (options.best < 0 || options.frequent < 0) throw Error("Shortlist: negative list sizes");
  Shortlist list;
  list.target_vocab_ = target_vocab_;
  // Ties go to the smaller id, so the same corpus always gives the same list.
  std::vector<int> order(static_cast<std::size_t>(target_vocab_));
  std::iota(order.begin(), order.end(), 0);
  const auto frequent = std::min<std::size_t>(order.size(), static_cast<std::size_t>(options.frequent));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(frequent), order.end(), [&](int a, int b) {
    return target_tokens_[a] != target_tokens_[b] ? target_tokens_[a] > target_tokens_[b] : a < b;
  });
  list.frequent_.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(frequent));
  std::sort(list.frequent_.begin(), list.frequent_.end());

  struct Scored {
    double dice;
    int target;
  };
  std::vector<std::vector<Scored>> scored(static_cast<std::size_t>(source_vocab_));
  for (const auto& [key, count] : together_) {
    const auto s = static_cast<std::size_t>(key / static_cast<std::uint64_t>(target_vocab_));
    const auto t = static_cast<int>(key % static_cast<std::uint64_t>(target_vocab_));
    const double dice = 2.0 * count / static_cast<double>(source_pairs_[s] + target_pairs_[static_cast<std::size_t>(t)]);
    scored[s].push_back({dice, t});
  }
  list.best_.resize(static_cast<std::size_t>(source_vocab_));
  for (std::size_t s = 0; s < scored.size(); ++s) {
    auto& candidates = scored[s];
    const auto keep = std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(options.best));
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep), candidates.end(),
                      [](const Scored& a, const Scored& b) { return a.dice != b.dice ? a.dice > b.dice : a.target < b.target; });
    for (std::size_t i = 0; i < keep; ++i) list.best_[s].push_back(candidates[i].target);
    std::sort(list.best_[s].begin(), list.best_[s].end());
  }
  return list;
}

Shortlist Shortlist::load(const std::string& path, int source_vocab_size, int target_vocab_size) {
  std::ifstream in(path);
  if (!in) throw Error(path, "cannot open for reading (missing or unreadable)");
  std::string line, magic;
  int version = 0;
  long long sources = 0, targets = 0;
  if (!std::getline(in, line) || !(std::istringstream(line) >> magic >> version >> sources >> targets) ||
      magic != kMagic)
    throw Error(path, 1, "not an nmt shortlist (nmt shortlist writes one)");
  if (version != kVersion) throw Error(path, 1, "shortlist format version " + std::to_string(version) + ", expected 1");
  if (sources != source_vocab_size || targets != target_vocab_size)
    throw Error(path, 1, "made for vocabularies of " + std::to_string(sources) + "/" + std::to_string(targets) +
                             " subwords, but the model has " + std::to_string(source_vocab_size) + "/" +
                             std::to_string(target_vocab_size));
  Shortlist list;
  list.target_vocab_ = target_vocab_size;
  std::size_t number = 1;
  if (!std::getline(in, line)) throw Error(path, 2, "the frequent target ids are missing");
  list.frequent_ = parse_ids(line, target_vocab_size, path, ++number);
  while (std::getline(in, line)) {
    ++number;
    if (list.best_.size() == static_cast<std::size_t>(source_vocab_size))
      throw Error(path, number, "more lines than source subwords (" + std::to_string(source_vocab_size) + ")");
    list.best_.push_back(parse_ids(line, target_vocab_size, path, number));
  }
  if (list.best_.size() != static_cast<std::size_t>(source_vocab_size))
    throw Error(path, number, "a line per source subword expected: " + std::to_string(source_vocab_size) +
                                  ", found " + std::to_string(list.best_.size()) + " (truncated?)");
  return list;
}

void Shortlist::save(const std::string& path) const {
  std::ostringstream out;
  out << kMagic << ' ' << kVersion << ' ' << best_.size() << ' ' << target_vocab_ << '\n';
  const auto write = [&](const std::vector<int>& ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? " " : "") << ids[i];
    out << '\n';
  };
  write(frequent_);
  for (const auto& ids : best_) write(ids);
  write_file_atomically(path, out.str());
}

std::vector<int> Shortlist::candidates(const std::vector<const std::vector<int>*>& sources,
                                       const std::vector<int>& always) const {
  std::vector<char> chosen(static_cast<std::size_t>(target_vocab_), 0);
  const auto choose = [&](const std::vector<int>& ids) {
    for (const int id : ids) chosen[static_cast<std::size_t>(id)] = 1;
  };
  choose(frequent_);
  choose(always);
  for (const auto* source : sources)
    for (const int s : *source)
      if (s >= 0 && static_cast<std::size_t>(s) < best_.size()) choose(best_[static_cast<std::size_t>(s)]);
  std::vector<int> ids;
  for (int t = 0; t < target_vocab_; ++t)
    if (chosen[static_cast<std::size_t>(t)]) ids.push_back(t);
  return ids;
}

}  // namespace nmt
