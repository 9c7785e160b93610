// A map shared between goroutines without a lock.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

class Cache {
public:
  void put(const std::string &k, int v) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[k] = v;
  }
  // BAD: writes entries_ without mu_, which put() holds.
  void reset() { entries_.clear(); }

  int get(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(k);
    return it == entries_.end() ? 0 : it->second;
  }

private:
  std::mutex mu_;
  std::map<std::string, int> entries_;
};

// GOOD: readers share the lock, writers take it exclusively (the Go
// sync.RWMutex pattern).
class SafeCache {
public:
  void put(const std::string &k, int v) {
    std::unique_lock lock(mu_);
    entries_[k] = v;
  }
  void reset() {
    std::unique_lock lock(mu_);
    entries_.clear();
  }
  int get(const std::string &k) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(k);
    return it == entries_.end() ? 0 : it->second;
  }

private:
  mutable std::shared_mutex mu_;
  std::map<std::string, int> entries_;
};

// BAD: the map is written by the thread and by the caller at once.
int count_words() {
  std::map<std::string, int> counts;
  std::thread t([&counts] { counts["go"]++; });
  counts["cpp"]++;
  t.join();
  return static_cast<int>(counts.size());
}

// GOOD: both sides hold the same mutex.
int count_words_ok() {
  std::map<std::string, int> counts;
  std::mutex mu;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(mu);
    counts["go"]++;
  });
  {
    std::lock_guard<std::mutex> lock(mu);
    counts["cpp"]++;
  }
  t.join();
  return static_cast<int>(counts.size());
}
