// ReportAssertionPaths reports a worker path that leaves at a failed test
// assertion before its done() (unbalanced-latch-assertion-paths.cpp): a note
// in pitfall-scan's report.
// RUN: %check_tidy %s pitfall-unbalanced-latch -config="{CheckOptions: {pitfall-unbalanced-latch.ReportAssertionPaths: true}}" -- -std=c++17
// RUN: %scan_one %s pitfall-unbalanced-latch --option pitfall-unbalanced-latch.ReportAssertionPaths=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=SCAN
// CHECK-NOTE@+2: expanded from macro 'GTEST_FATAL_FAILURE_'
// CHECK-NOTE@+1: expanded from macro 'GTEST_FATAL_FAILURE_'
#define GTEST_FATAL_FAILURE_ return
// CHECK-NOTE@+2: expanded from macro 'ASSERT_TRUE'
// CHECK-NOTE@+1: expanded from macro 'ASSERT_TRUE'
#define ASSERT_TRUE(c) if (!(c)) GTEST_FATAL_FAILURE_

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
  WaitGroup wg(1); // CHECK-NOTE: 'wg' declared here
  schedule([=] {
    // CHECK-NOTE@+1: call done from a scope guard (a local object whose destructor does it) so that every path does
    ASSERT_TRUE(check()); // CHECK-WARN: worker returns without calling done on WaitGroup 'wg' on this path
    // SCAN: report.cpp:[[@LINE-1]]:5: note: worker returns without calling done on WaitGroup 'wg' on this path
    wg.done(); // CHECK-NOTE: other paths call done here
  });
  wg.wait();
}
