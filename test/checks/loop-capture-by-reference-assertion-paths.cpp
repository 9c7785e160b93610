// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++17
// A task that outlives the iteration only on the path of a failed test
// assertion (GoogleTest's ASSERT_* returns from the test function) is not
// reported: the test has failed, and the tasks it leaves blocked are not
// what its maintainers fix (ReportAssertionPaths reports it:
// loop-capture-by-reference-assertion-paths-report.cpp). Any other path
// that leaves the iteration while the task may run is.
#define GTEST_FATAL_FAILURE_ return
#define ASSERT_TRUE(c) if (!(c)) GTEST_FATAL_FAILURE_
#define ASSERT_EQ(a, b) ASSERT_TRUE((a) == (b))

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

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

// marl's EventSequence: an assertion between the start and the wait.
void sequenceTest() {
  for (int round = 0; round < 2; round++) {
    std::string sequence;
    Event a, b, done;
    schedule([=, &sequence] {
      b.wait();
      sequence += "B";
      done.signal();
    });
    schedule([=, &sequence] {
      a.wait();
      sequence += "A";
      b.signal();
    });
    ASSERT_EQ(sequence, "");
    a.signal();
    done.wait();
    ASSERT_EQ(sequence, "AB");
  }
}

// The assertion's own return, written out: the same path, not reported.
void spelledOut() {
  for (int round = 0; round < 2; round++) {
    int hits = 0;
    Event done;
    schedule([=, &hits] {
      ++hits;
      done.signal();
    });
    ASSERT_TRUE(round >= 0);
    done.wait();
  }
}

// A plain early return leaves the task running: reported.
int earlyReturn(bool stop) {
  for (int round = 0; round < 2; round++) {
    int hits = 0;
    Event done;
    schedule([=, &hits] { // CHECK-WARN: 'hits' is captured by reference in a lambda that is passed to 'schedule'; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@-1: passed to 'schedule' here
      // CHECK-NOTE@+1: 'hits' is modified in the lambda: no fix-it, decide whether each task needs its own copy or state that outlives the loop
      ++hits;
      done.signal();
    });
    if (stop)
      return 1;
    done.wait();
  }
  return 0;
}

// No wait at all: the task outlives every iteration, whatever the
// assertions do.
void neverWaited() {
  for (int round = 0; round < 2; round++) {
    int hits = 0;
    schedule([&hits] { ++hits; }); // CHECK-WARN: 'hits' is captured by reference in a lambda that is passed to 'schedule'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@-1: passed to 'schedule' here
    // CHECK-NOTE@-2: 'hits' is modified in the lambda: no fix-it, decide whether each task needs its own copy or state that outlives the loop
    ASSERT_TRUE(round >= 0);
  }
}
