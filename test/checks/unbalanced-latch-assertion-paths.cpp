// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++17 -I %S/Inputs/gtest-like
// A failed test assertion in a worker before its done() (GoogleTest's
// ASSERT_* returns from the lambda): the test hangs in wait() instead of
// failing. Dismissible, reported with ReportAssertionPaths
// (unbalanced-latch-assertion-paths-report.cpp); a plain early return is
// reported.
#include <gtest_like.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

// A WaitGroup that is a handle: copies share one counter.
class WaitGroup {
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

template <class F> void schedule(F f) { std::thread(std::move(f)).detach(); }

bool check();

void assertion_before_done() {
  WaitGroup wg(1);
  schedule([=] {
    ASSERT_TRUE(check());
    wg.done();
  });
  wg.wait();
}

void plain_return_before_done() {
  WaitGroup wg(1); // CHECK-NOTE: 'wg' declared here
  schedule([=] {
    if (!check())
      // CHECK-NOTE@+1: call done from a scope guard (a local object whose destructor does it) so that every path does
      return; // CHECK-WARN: worker returns without calling done on WaitGroup 'wg' on this path
    wg.done(); // CHECK-NOTE: other paths call done here
  });
  wg.wait();
}
