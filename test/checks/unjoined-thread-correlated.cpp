// A thread started under a condition and joined under the same condition:
// conditions on fields of unchanged objects (`cfg.n`) and, in a const member
// function, on fields of `this` correlate like conditions on locals.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <thread>

void work();

struct Options {
  int threads = 0;
  bool parallel = false;
};

void ready() noexcept;
Options load() noexcept;

// ---------------------------------------------------------------- negatives

void fieldOfParameter(const Options &opts) {
  std::thread t;
  if (opts.threads > 0)
    t = std::thread(work);
  ready();
  if (opts.threads > 0)
    t.join();
}

void fieldOfLocal() {
  Options opts = load();
  std::thread t;
  if (opts.parallel)
    t = std::thread(work);
  ready();
  if (opts.parallel)
    t.join();
}

class Runner {
public:
  void run() const {
    std::thread t;
    if (workers_ > 0)
      t = std::thread(work);
    ready();
    if (workers_ > 0)
      t.join();
  }

private:
  int workers_ = 0;
};

// A local flag set to a constant where the thread starts: joined on every
// path that started it.
void flagSetWhereStarted(int n) {
  bool started = false;
  std::thread t;
  if (n > 0) {
    t = std::thread(work);
    started = true;
  }
  ready();
  if (started)
    t.join();
}

// ---------------------------------------------------------------- positives

void fieldChangedInBetween(Options opts) {
  std::thread t;
  if (opts.parallel)
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
  opts.parallel = false;
  if (opts.parallel)
    t.join();
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

void throughPointer(const Options *opts) {
  std::thread t;
  if (opts->parallel)
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
  ready();
  if (opts->parallel)
    t.join();
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

class Toggler {
public:
  void run() { // not const: toggle() changes on_
    std::thread t;
    if (on_)
      t = std::thread(work); // CHECK-NOTE: thread 't' started here
    toggle();
    if (on_)
      t.join();
  } // CHECK-WARN: thread 't' is destroyed while joinable
  // CHECK-NOTE@-1: join or detach 't' before this point

private:
  void toggle() { on_ = !on_; }
  bool on_ = false;
};

// A flag also set from a value that is not a constant: no fact.
bool decide() noexcept;
void flagFromValue(int n) {
  bool started = false;
  std::thread t;
  if (n > 0) {
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
    started = true;
  }
  started = decide();
  if (started)
    t.join();
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

// The flag is set before the start, and the start may be skipped.
void flagSetEarly(int n) {
  bool started = false;
  std::thread t;
  started = true;
  if (n > 0)
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
  ready();
  if (!started)
    return;
  if (n > 1)
    t.join();
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point
