#pragma once
// The one policy for oneDNN primitives made per shape: made on first use,
// reused after, and when the cache is full the least recently used entry goes.
// Batches come in many shapes (every source length, shrinking beams), so an
// unbounded cache would grow for as long as a run lasts, and one that starts
// over when full rebuilds the shapes still in use.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

namespace nmt {

template <typename Key, typename Value>
class PrimitiveCache {
 public:
  explicit PrimitiveCache(std::size_t capacity) : capacity_(capacity) {}

  // The entry for key, made by make() (returning a Value) when absent. Shared:
  // a caller may keep an entry (e.g. from forward to backward) after it is evicted.
  template <typename Make>
  std::shared_ptr<Value> get(const Key& key, Make&& make) {
    auto found = entries_.find(key);
    if (found == entries_.end()) {
      if (entries_.size() >= capacity_) evict_least_recent();
      found = entries_.emplace(key, Entry{std::make_shared<Value>(make()), 0}).first;
      ++created_;
    }
    found->second.last_use = ++uses_;
    return found->second.value;
  }

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }
  // Entries made so far, evicted ones included: a test of reuse counts these.
  std::uint64_t created() const { return created_; }

 private:
  struct Entry {
    std::shared_ptr<Value> value;
    std::uint64_t last_use;
  };

  // A scan, not a list: the cache is small and evictions rare next to lookups.
  void evict_least_recent() {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.last_use < oldest->second.last_use) oldest = it;
    if (oldest != entries_.end()) entries_.erase(oldest);
  }

  std::size_t capacity_;
  std::map<Key, Entry> entries_;
  std::uint64_t uses_ = 0, created_ = 0;
};

}  // namespace nmt
