// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// std::lock(a, b) on guards made with std::defer_lock locks the guards: each
// owns its mutex from there to its destruction, its unlock() or release()
// (round 11's BehaviorTree.CPP blackboard).
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

class Store {
public:
  void erase(const std::string &k) {
    std::unique_lock l(m_);
    data_.erase(k);
  }
  void put(const std::string &k, int v) {
    std::unique_lock l(m_);
    data_[k] = v;
  }
  // A shared_lock and a unique_lock locked together: not reported.
  void copyInto(Store &dst) {
    std::vector<std::string> keys;
    std::shared_lock lk1(m_, std::defer_lock);
    std::unique_lock lk2(dst.m_, std::defer_lock);
    std::lock(lk1, lk2);
    for (const auto &[k, v] : data_)
      keys.push_back(k);
  }
  // Two unique_locks: not reported.
  void moveInto(Store &dst) {
    std::unique_lock lk1(m_, std::defer_lock);
    std::unique_lock lk2(dst.m_, std::defer_lock);
    std::lock(lk1, lk2);
    dst.data_.insert(data_.begin(), data_.end());
    data_.clear();
  }
private:
  mutable std::shared_mutex m_;
  std::map<std::string, int> data_;
};

// Deferred guards never locked, or one released after std::lock: reported.
class Counter {
public:
  void add(const std::string &k) {
    std::unique_lock l(m_);
    // CHECK-NOTE@+1: 'data_' is modified under 'm_' here
    data_[k]++; // CHECK-NOTE: 'data_' is modified under 'm_' here
  }
  void drop(const std::string &k) {
    std::unique_lock l(m_);
    data_.erase(k);
  }
  void sumInto(Counter &other) {
    std::unique_lock lk1(m_, std::defer_lock);
    std::unique_lock lk2(other.m_, std::defer_lock);
    std::lock(lk1, lk2);
    for (auto &[k, v] : data_)
      other.data_[k] += v;
  }
  int total() const {
    std::unique_lock lk(m_, std::defer_lock);
    int n = 0;
    // No fix-it: the function already has a guard of 'm_'.
    // CHECK-WARN@+1: container 'data_' is read without holding 'm_', which guards its other accesses
    for (auto &[k, v] : data_)
      n += v;
    return n;
  }
  int totalAfterUnlock(Counter &other) const {
    std::unique_lock lk1(m_, std::defer_lock);
    std::unique_lock lk2(other.m_, std::defer_lock);
    std::lock(lk1, lk2);
    lk1.unlock();
    int n = 0;
    // No fix-it: the function already has a guard of 'm_'.
    // CHECK-WARN@+1: container 'data_' is read without holding 'm_', which guards its other accesses
    for (auto &[k, v] : data_)
      n += v;
    return n;
  }

private:
  mutable std::mutex m_;
  std::map<std::string, int> data_;
};
