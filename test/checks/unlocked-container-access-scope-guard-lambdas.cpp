// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A lambda handed to a scope guard (a local whose destructor calls the
// callable it holds) runs where the guard is destroyed: it is entered with
// the locks held there, whether it is kept in a variable first or built in
// the guard's constructor call. A guard destroyed after the lock is
// released, or handed on, runs it without the lock.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

template <class F> class AtExit { // runs its callable when the scope ends
  F f_;

public:
  explicit AtExit(F f) : f_(std::move(f)) {}
  AtExit(const AtExit &) = delete;
  ~AtExit() { f_(); }
};

void consume(const std::string &);

class LogFile {
  std::mutex m_;
  std::string base_;
  std::vector<std::string> pending_;

public:
  void setBase(const char *b) {
    std::lock_guard<std::mutex> g(m_);
    base_ = b;
    pending_.push_back(b); // CHECK-NOTE: 'pending_' is modified under 'm_' here
    // CHECK-NOTE@-1: 'pending_' is modified under 'm_' here
  }
  size_t size() {
    std::lock_guard<std::mutex> g(m_);
    return pending_.size() + base_.size();
  }
  bool has(const std::string &s) {
    std::lock_guard<std::mutex> g(m_);
    for (const std::string &p : pending_)
      if (p == s)
        return true;
    return false;
  }
  void drop() {
    std::lock_guard<std::mutex> g(m_);
    pending_.clear();
  }
  // The guard is declared after the lock: destroyed first, under it.
  void write() {
    std::lock_guard<std::mutex> g(m_);
    auto atEnd = [this] { consume(base_.substr(1)); };
    AtExit<decltype(atEnd)> guard(atEnd);
  }
  void flush() {
    std::lock_guard<std::mutex> g(m_);
    AtExit guard([this] {
      for (const std::string &p : pending_)
        consume(p);
    });
  }
  // Kept reported: the guard outlives the lock.
  void late() {
    auto atEnd = [this] { pending_.clear(); }; // CHECK-WARN: container 'pending_' is modified without holding 'm_', which guards its other accesses
    AtExit<decltype(atEnd)> guard(atEnd);
    std::lock_guard<std::mutex> g(m_);
    consume(base_);
  }
  void unlockedEarly() {
    std::unique_lock<std::mutex> g(m_);
    AtExit guard([this] { pending_.pop_back(); }); // CHECK-WARN: container 'pending_' is modified without holding 'm_', which guards its other accesses
    g.unlock();
  }
};
