// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ContainerTypes: 'app::FlatMap', pitfall-unlocked-container-access.LockTypes: 'app::Guard;app::ReaderGuard:shared'}}" -- -std=c++14
// ContainerTypes adds containers (a mapped_type makes operator[] a write),
// LockTypes adds scoped guards (":shared" for reader guards). Before C++17
// the fix-it spells std::lock_guard with the mutex type.
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace app {
template <class K, class V> class FlatMap {
public:
  using mapped_type = V;
  V &operator[](const K &k) { return data_[0].second; }
  void insert(std::pair<K, V> p) { data_.push_back(p); }
  std::size_t size() const { return data_.size(); }

private:
  std::vector<std::pair<K, V>> data_;
};

// Defined elsewhere (a spin lock that does nothing is no lock at all).
class SpinLock {
public:
  void lock();
  void unlock();
  void lock_shared();
  void unlock_shared();
};

class Guard {
public:
  explicit Guard(SpinLock &l) : l_(l) { l_.lock(); }
  ~Guard() { l_.unlock(); }

private:
  SpinLock &l_;
};

class ReaderGuard {
public:
  explicit ReaderGuard(SpinLock &l) : l_(l) { l_.lock_shared(); }
  ~ReaderGuard() { l_.unlock_shared(); }

private:
  SpinLock &l_;
};
} // namespace app

class Index {
public:
  void put(int k, int v) {
    app::Guard g(lock_);
    index_[k] = v; // CHECK-NOTE: 'index_' is modified under 'lock_' here
  }
  std::size_t size() {
    app::ReaderGuard g(lock_);
    return index_.size();
  }
  void bad_write(int k) {
    app::ReaderGuard g(lock_);
    index_[k] = 0; // CHECK-WARN: container 'index_' is modified without holding 'lock_'
  }

private:
  app::SpinLock lock_;
  app::FlatMap<int, int> index_;
};

class Log {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    lines_.push_back(v); // CHECK-NOTE: 'lines_' is modified under 'mu_' here
  }
  void drop() {
    // CHECK-WARN@+2: container 'lines_' is modified without holding 'mu_'
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    lines_.pop_back();
    // CHECK-FIX: { std::lock_guard<std::mutex> lock(mu_); lines_.pop_back(); }
    ++drops_;
  }

private:
  std::mutex mu_;
  std::vector<int> lines_;
  int drops_ = 0;
};
