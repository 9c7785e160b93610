// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// `end()` of a node-based container (std::list, std::forward_list, the
// ordered and unordered maps and sets) is its sentinel, made from the
// object's address: it reads nothing an insertion, an erasure or a splice
// under the lock changes, so taking it without the lock (a work item's
// "no element" iterator, round 14's quantum TaskQueue::processTask) is no
// access. A vector's, deque's or string's end() reads the end pointer a
// push_back moves, and begin(), front() and the iterator's uses read the
// links: still reported.
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <unordered_set>
#include <vector>

struct Item {
  int *task;
  std::list<int *>::iterator at;
};

class RunQueue {
public:
  Item take() {
    Item none{nullptr, run_.end()};
    std::lock_guard<std::mutex> lock(mu_);
    if (run_.empty())
      return none;
    return Item{run_.front(), run_.begin()};
  }
  void finish(std::list<int *>::iterator at) {
    std::lock_guard<std::mutex> lock(mu_);
    if (at != run_.end())
      // CHECK-NOTE@+1: 'run_' is modified under 'mu_' here
      run_.erase(at); // CHECK-NOTE: 'run_' is modified under 'mu_' here
  }
  void add(int *t) {
    std::lock_guard<std::mutex> lock(mu_);
    run_.push_back(t);
  }
  // CHECK-WARN@+2: container 'run_' is read without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  std::list<int *>::iterator first() { return run_.begin(); }
  // CHECK-FIX: std::list<int *>::iterator first() { std::scoped_lock lock(mu_); return run_.begin(); }
  // CHECK-WARN@+2: container 'run_' is read without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  int *last() { return run_.back(); }
  // CHECK-FIX: int *last() { std::scoped_lock lock(mu_); return run_.back(); }

private:
  std::list<int *> run_;
  std::mutex mu_;
};

class Index {
public:
  std::map<int, int>::const_iterator none() const { return byKey_.cend(); }
  std::unordered_set<int>::iterator noName() { return names_.end(); }
  void put(int k, int v) {
    std::lock_guard<std::mutex> lock(mu_);
    byKey_[k] = v;
    names_.insert(k);
  }

private:
  std::map<int, int> byKey_;
  std::unordered_set<int> names_;
  std::mutex mu_;
};

class Buffer {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    values_.push_back(v); // CHECK-NOTE: 'values_' is modified under 'mu_' here
    window_.push_back(v); // CHECK-NOTE: 'window_' is modified under 'mu_' here
  }
  // CHECK-WARN@+2: container 'values_' is read without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  std::vector<int>::iterator stop() { return values_.end(); }
  // CHECK-FIX: std::vector<int>::iterator stop() { std::scoped_lock lock(mu_); return values_.end(); }
  // CHECK-WARN@+2: container 'window_' is read without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  std::deque<int>::iterator windowStop() { return window_.end(); }
  // CHECK-FIX: std::deque<int>::iterator windowStop() { std::scoped_lock lock(mu_); return window_.end(); }

private:
  std::vector<int> values_;
  std::deque<int> window_;
  std::mutex mu_;
};
