// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A member function that re-creates the object's own locks (assigns, swaps
// or resizes a mutex member or a container of mutexes) reinitialises the
// object: destroying a mutex another thread may hold is undefined, so the
// function runs while no other thread uses the object, and its unlocked
// accesses are no lapse of the discipline (nmslib/hnswlib's loadIndex(),
// which reads a saved index into the object its constructor made:
// `std::vector<std::mutex>(n).swap(link_list_locks_);` then fills the
// label map without `label_lookup_lock`). A function that only uses the
// locks, or re-creates another object's, stays reported.
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <vector>

// 1. Not reported: loading swaps in fresh element locks.
class Index {
public:
  explicit Index(std::size_t n) : locks_(n) {}
  void load(std::size_t n) {
    std::vector<std::mutex>(n).swap(locks_);
    for (std::size_t i = 0; i < n; ++i)
      labels_[i] = i;
    deleted_.insert(0);
  }
  void add(std::size_t label) {
    std::lock_guard<std::mutex> g(labelsLock_);
    labels_[label] = label;
  }
  void erase(std::size_t label) {
    std::lock_guard<std::mutex> g(labelsLock_);
    labels_.erase(label);
  }
  void markDeleted(std::size_t i) {
    std::lock_guard<std::mutex> g(deletedLock_);
    deleted_.insert(i);
  }
  void unmarkDeleted(std::size_t i) {
    std::lock_guard<std::mutex> g(deletedLock_);
    deleted_.erase(i);
  }

private:
  std::vector<std::mutex> locks_;
  std::mutex labelsLock_;
  std::mutex deletedLock_;
  std::map<std::size_t, std::size_t> labels_;
  std::set<std::size_t> deleted_;
};

// 2. Not reported: a reset that resizes the stripe of locks.
class Striped {
public:
  void reset(std::size_t n) {
    stripes_ = std::vector<std::mutex>(n);
    items_.clear();
  }
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void drop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_back();
  }

private:
  std::mutex mu_;
  std::vector<std::mutex> stripes_;
  std::vector<int> items_;
};

// 3. Reported: a function that only takes the element locks.
class Uses {
public:
  void touch(std::size_t i) {
    std::lock_guard<std::mutex> l(locks_[i]);
    labels_[i] = i; // CHECK-WARN: container 'labels_' is modified without holding 'labelsLock_', which guards its other accesses
  }
  void add(std::size_t label) {
    std::lock_guard<std::mutex> g(labelsLock_);
    labels_[label] = label; // CHECK-NOTE: 'labels_' is modified under 'labelsLock_' here
  }
  void erase(std::size_t label) {
    std::lock_guard<std::mutex> g(labelsLock_);
    labels_.erase(label);
  }

private:
  std::vector<std::mutex> locks_{16};
  std::mutex labelsLock_;
  std::map<std::size_t, std::size_t> labels_;
};

// 4. Reported: the locks re-created are another object's.
class Other {
public:
  void rebuild(Index &fresh, std::vector<std::mutex> &theirs) {
    std::vector<std::mutex>(4).swap(theirs);
    labels_[0] = 0; // CHECK-WARN: container 'labels_' is modified without holding 'labelsLock_', which guards its other accesses
    // CHECK-NOTE@-1: hold 'labelsLock_' for this statement
    // CHECK-FIX: std::scoped_lock lock(labelsLock_); labels_[0] = 0;
  }
  void add(std::size_t label) {
    std::lock_guard<std::mutex> g(labelsLock_);
    labels_[label] = label; // CHECK-NOTE: 'labels_' is modified under 'labelsLock_' here
  }
  void erase(std::size_t label) {
    std::lock_guard<std::mutex> g(labelsLock_);
    labels_.erase(label);
  }

private:
  std::mutex labelsLock_;
  std::map<std::size_t, std::size_t> labels_;
};
