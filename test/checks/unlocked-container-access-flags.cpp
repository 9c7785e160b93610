// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A local flag set to a constant decides a later branch: the locks held on
// a path are those of the paths that set the flag to the value the branch
// tests, not of every path that reaches it.
#include <functional>
#include <mutex>
#include <vector>

struct Timer {
  bool enabled = false;
  bool fired = false;
  bool internal = false;
  std::function<void()> handler;
};

class Timers {
public:
  void add(Timer t) {
    std::lock_guard<std::mutex> lock(mu_);
    // One note for each of the ten warnings below.
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    // CHECK-NOTE: 'timers_' is modified under 'mu_' here
    timers_.push_back(t); // CHECK-NOTE: 'timers_' is modified under 'mu_' here
  }

  // A path unlocks, runs a callback (which may add a timer) and leaves the
  // loop through the flag it cleared: every access in the loop holds mu_.
  void process() {
    mu_.lock();
    auto it = timers_.begin();
    while (it != timers_.end()) {
      if (it->enabled && it->fired) {
        bool keepProcessing = true;
        if (it->internal) {
          it->fired = false;
        } else {
          std::function<void()> h = it->handler;
          mu_.unlock();
          h();
          keepProcessing = false;
        }
        if (!keepProcessing)
          break; // the vector may have changed: leave the loop
      }
      ++it;
    }
    mu_.unlock();
  }

  // The same with the flag tested the other way round and an early return.
  void processFirst() {
    mu_.lock();
    bool locked = true;
    for (Timer &t : timers_) {
      if (t.fired) {
        std::function<void()> h = t.handler;
        mu_.unlock();
        locked = false;
        h();
      }
      if (!locked)
        return;
    }
    mu_.unlock();
  }

  // Negative: the flag is cleared on the unlocked path, but the branch that
  // leaves the loop tests another condition: the next iteration reads
  // timers_ without mu_.
  void processWrongTest(bool stop) {
    mu_.lock();
    auto it = timers_.begin();
    // CHECK-WARN@+1: container 'timers_' is read without holding 'mu_', which guards its other accesses
    while (it != timers_.end()) {
      bool keepProcessing = true;
      if (it->fired) { // CHECK-WARN: container 'timers_' is read without holding 'mu_'
        mu_.unlock();
        keepProcessing = false;
      }
      (void)keepProcessing;
      if (stop)
        break;
      ++it; // CHECK-WARN: container 'timers_' is read without holding 'mu_'
    }
    mu_.unlock();
  }

  // Negative: the flag is set back after the unlock, before the test.
  void processReset() {
    mu_.lock();
    auto it = timers_.begin();
    // CHECK-WARN@+1: container 'timers_' is read without holding 'mu_', which guards its other accesses
    while (it != timers_.end()) {
      bool keepProcessing = true;
      if (it->fired) { // CHECK-WARN: container 'timers_' is read without holding 'mu_'
        mu_.unlock();
        keepProcessing = false;
      }
      keepProcessing = it->enabled; // CHECK-WARN: container 'timers_' is read without holding 'mu_'
      if (!keepProcessing)
        break;
      ++it; // CHECK-WARN: container 'timers_' is read without holding 'mu_'
    }
    mu_.unlock();
  }

  // Negative: a flag changed through a reference is not a constant.
  void processThroughReference() {
    mu_.lock();
    auto it = timers_.begin();
    // CHECK-WARN@+1: container 'timers_' is read without holding 'mu_', which guards its other accesses
    while (it != timers_.end()) {
      bool keepProcessing = true;
      if (it->fired) { // CHECK-WARN: container 'timers_' is read without holding 'mu_'
        mu_.unlock();
        keepProcessing = false;
      }
      clear(keepProcessing);
      if (!keepProcessing)
        break;
      ++it; // CHECK-WARN: container 'timers_' is read without holding 'mu_'
    }
    mu_.unlock();
  }

private:
  static void clear(bool &b) { b = true; }
  std::mutex mu_;
  std::vector<Timer> timers_;
};
