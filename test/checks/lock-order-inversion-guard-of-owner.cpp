// RUN: %check_tidy %s pitfall-lock-order-inversion,pitfall-unlocked-container-access -- -std=c++17
// A project's guard class constructed from the object that owns the mutex
// (`lock_guard locker{*this}` in a class derived from the mixin that holds
// it): the guard's argument names no mutex of its own. Such a guard holds
// nothing the checks can name (no lock is recorded for it); the analysis
// of a caller that maps the callee's acquisitions must not stumble on it
// (a crash on a timer library's engine, reduced).
#include <mutex>
#include <vector>

struct thread_mixin {
  std::mutex m_lock;
  class lock_guard {
    std::unique_lock<std::mutex> m_lock;

  public:
    lock_guard(thread_mixin &self) : m_lock(self.m_lock) {}
    void lock() { m_lock.lock(); }
    void unlock() { m_lock.unlock(); }
  };
};

template <class Mixin> class engine : public Mixin {
  std::vector<int> items_;

public:
  void add(int v) {
    typename Mixin::lock_guard locker{*this};
    items_.push_back(v);
  }
};

std::mutex g;
engine<thread_mixin> *current();

void add_under_lock(engine<thread_mixin> &e) {
  std::lock_guard<std::mutex> l(g);
  e.add(1);
}

void add_to_current() {
  std::lock_guard<std::mutex> l(g);
  current()->add(3);
}
