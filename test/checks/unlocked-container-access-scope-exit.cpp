// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A callable held by an object whose destructor invokes it (a `defer` /
// `finally` scope guard, a rollback run unless committed) runs where that
// object is destroyed: under the locks held there, and before what the
// function does after.
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

class WaitGroup { // a handle: copies share one counter
  struct State {
    std::mutex m;
    std::condition_variable cv;
    unsigned count = 0;
  };
  std::shared_ptr<State> s_ = std::make_shared<State>();

public:
  explicit WaitGroup(unsigned n = 0) { s_->count = n; }
  void add(unsigned n = 1) const {
    std::lock_guard<std::mutex> g(s_->m);
    s_->count += n;
  }
  void done() const {
    std::lock_guard<std::mutex> g(s_->m);
    if (--s_->count == 0)
      s_->cv.notify_all();
  }
  void wait() const {
    std::unique_lock<std::mutex> g(s_->m);
    s_->cv.wait(g, [this] { return s_->count == 0; });
  }
};

// marl's defer(): a FinallyImpl<F> made by make_finally from a lambda.
template <typename F> class FinallyImpl {
public:
  FinallyImpl(F &&func) : func(std::move(func)) {}
  FinallyImpl(FinallyImpl<F> &&other) : func(std::move(other.func)) {
    other.valid = false;
  }
  ~FinallyImpl() {
    if (valid)
      func();
  }

private:
  F func;
  bool valid = true;
};

template <typename F> FinallyImpl<F> make_finally(F &&f) {
  return FinallyImpl<F>(std::forward<F>(f));
}

#define CONCAT_(a, b) a##b
#define CONCAT(a, b) CONCAT_(a, b)
#define defer(x) auto CONCAT(defer_, __LINE__) = make_finally([&] { x; })

template <class F> void schedule(F f) { std::thread(std::move(f)).detach(); }

// The task's done() runs when the deferred object is destroyed, at the end
// of the lambda: after its access under the lock.
std::size_t deferred_done() {
  std::mutex mutex;
  std::set<int> threads;
  WaitGroup wg;
  for (int i = 0; i < 100; i++) {
    wg.add(1);
    schedule([&mutex, &threads, wg, i] {
      defer(wg.done());
      std::unique_lock<std::mutex> lock(mutex);
      threads.emplace(i);
    });
  }
  wg.wait();
  return threads.size() + threads.count(3);
}

// A scope guard holding a std::function.
class OnExit {
  std::function<void()> f_;

public:
  explicit OnExit(std::function<void()> f) : f_(std::move(f)) {}
  ~OnExit() { f_(); }
};

std::string std_function_guard() {
  std::string got;
  WaitGroup wg(1);
  schedule([wg, &got] {
    OnExit e([wg] { wg.done(); });
    got = "done";
  });
  wg.wait();
  return got;
}

// Still reported: the deferred object is moved out of the task's scope, its
// destructor there runs nothing (the moved-to object runs it elsewhere).
template <class T> void keep(T &&) {}

std::size_t deferred_moved_out() {
  std::mutex mutex;
  std::set<int> threads;
  WaitGroup wg;
  for (int i = 0; i < 100; i++) {
    wg.add(1);
    schedule([&mutex, &threads, wg, i] {
      auto d = make_finally([&] { wg.done(); });
      keep(std::move(d));
      std::unique_lock<std::mutex> lock(mutex);
      threads.emplace(i); // CHECK-NOTE: conflicting modification on another thread under 'mutex'
    });
  }
  wg.wait();
  // CHECK-NOTE@+2: hold 'mutex' for this statement
  // CHECK-FIX: std::scoped_lock lock(mutex); return threads.count(3);
  return threads.count(3); // CHECK-WARN: container 'threads' is read without holding 'mutex' while another thread modifies it
}

// sobjectizer's do_with_rollback_on_exception: the rollback lambda, held by
// reference, runs in the destructor unless the action committed.
template <class F> class Rollback {
  F &f_;
  bool done_ = false;

public:
  explicit Rollback(F &f) : f_(f) {}
  ~Rollback() {
    if (!done_)
      f_();
  }
  void commit() { done_ = true; }
};

template <class Action, class Undo>
void with_rollback(Action action, Undo undo) {
  Rollback<Undo> r(undo);
  action();
  r.commit();
}

// The rollback runs inside with_rollback, called under the caller's lock.
class Registry {
  std::mutex m_;
  std::map<int, int> counts_;
  std::map<int, int> names_;

public:
  void add(int id) {
    std::lock_guard<std::mutex> g(m_);
    auto it = counts_.emplace(id, 0).first;
    ++it->second;
    with_rollback([&] { names_.emplace(id, id); },
                  [&] {
                    if (--it->second == 0)
                      counts_.erase(it);
                  });
  }
  void remove(int id) {
    std::lock_guard<std::mutex> g(m_);
    counts_.erase(id);
    names_.erase(id);
  }
};

// Still reported: the rollback object is constructed before the guard, so
// it is destroyed after it: the rollback runs without the lock.
template <class Action, class Undo>
void locked_with_rollback(std::mutex &m, Action action, Undo undo) {
  Rollback<Undo> r(undo);
  std::lock_guard<std::mutex> g(m);
  action();
  r.commit();
}

class LateRollback {
  std::mutex m_;
  std::map<int, int> counts_;

public:
  void add(int id) {
    locked_with_rollback(
        m_, [&] { counts_.emplace(id, 0); }, // CHECK-NOTE: 'counts_' is modified under 'm_' here
        [&] { counts_.erase(id); }); // CHECK-WARN: container 'counts_' is modified without holding 'm_', which guards its other accesses
  }
  void remove(int id) {
    std::lock_guard<std::mutex> g(m_);
    counts_.erase(id);
  }
};

int main() {
  Registry r;
  std::thread t([&] { r.add(1); });
  r.remove(1);
  t.join();
  LateRollback l;
  std::thread u([&] { l.add(1); });
  l.remove(1);
  u.join();
  return static_cast<int>(deferred_done() + std_function_guard().size() +
                          deferred_moved_out());
}
