// ReportAssertionPaths: true reports a task left running only on the path
// of a failed test assertion, which loop-capture-by-reference-assertion-paths.cpp
// shows hidden by default: a note in pitfall-scan's report.
// RUN: %check_tidy %s pitfall-loop-capture-by-reference -config="{CheckOptions: {pitfall-loop-capture-by-reference.ReportAssertionPaths: true}}" -- -std=c++17
// RUN: %scan_one %s pitfall-loop-capture-by-reference --option pitfall-loop-capture-by-reference.ReportAssertionPaths=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=SCAN
// RUN: %scan_one %s pitfall-loop-capture-by-reference -- -std=c++17 | FileCheck %s --check-prefix=DEFAULT --allow-empty
// DEFAULT-NOT: captured by reference
#define GTEST_FATAL_FAILURE_ return
#define ASSERT_TRUE(c) if (!(c)) GTEST_FATAL_FAILURE_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

class Event { // a handle: copies share one flag
  struct State {
    std::mutex m;
    std::condition_variable cv;
    bool set = false;
  };
  std::shared_ptr<State> s_ = std::make_shared<State>();

public:
  void signal() const {
    std::lock_guard<std::mutex> g(s_->m);
    s_->set = true;
    s_->cv.notify_all();
  }
  void wait() const {
    std::unique_lock<std::mutex> g(s_->m);
    s_->cv.wait(g, [this] { return s_->set; });
  }
};

template <class F> void schedule(F f) { std::thread(std::move(f)).detach(); }

void eachRound(const std::vector<int> &inputs) {
  for (int input : inputs) {
    std::string log;
    Event done;
    schedule([=, &log] { // CHECK-WARN: 'log' is captured by reference in a lambda that is passed to 'schedule'; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@-1: passed to 'schedule' here
      // SCAN: report.cpp:[[@LINE-2]]:{{[0-9]+}}: note: 'log' is captured by reference in a lambda that is passed to 'schedule'
      // CHECK-NOTE@+1: 'log' is modified in the lambda: no fix-it, decide whether each task needs its own copy or state that outlives the loop
      log += std::to_string(input);
      done.signal();
    });
    ASSERT_TRUE(input >= 0);
    done.wait();
  }
}
