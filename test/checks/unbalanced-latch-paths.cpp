// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// Worker paths that leave without arriving, or arrive twice.
#include <barrier>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

bool failed(int i);
void work(int i);

void early_return(int n) {
  std::latch done(n); // CHECK-NOTE: 'done' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      if (failed(i))
        return; // CHECK-WARN: worker returns without counting down latch 'done' on this path
      // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
      work(i);
      done.count_down(); // CHECK-NOTE: other paths count down here
    });
  done.wait();
}

void throws(int n) {
  std::latch done(n); // CHECK-NOTE: 'done' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      if (failed(i))
        throw std::runtime_error("bad item"); // CHECK-WARN: worker throws without counting down latch 'done' on this path
      // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
      done.count_down(); // CHECK-NOTE: other paths count down here
    });
  done.wait();
}

// The path that skips the count-down falls off the end of the worker.
void falls_off(std::latch &done) { // CHECK-NOTE: 'done' declared here
  std::thread t([&done] {
    if (!failed(0))
      done.count_down(); // CHECK-NOTE: other paths count down here
  }); // CHECK-WARN:3: worker reaches its end without counting down latch 'done' on this path
  // CHECK-NOTE@-1:3: count down from a scope guard (a local object whose destructor does it) so that every path does
  t.detach();
}

// A function worker.
void barrier_worker(std::barrier<> &sync, int i) { // CHECK-NOTE: 'sync' declared here
  if (failed(i))
    return; // CHECK-WARN: worker returns without arriving at barrier 'sync' on this path
  // CHECK-NOTE@-1: arrive from a scope guard (a local object whose destructor does it) so that every path does
  sync.arrive_and_wait(); // CHECK-NOTE: other paths arrive here
}
void start_barrier_workers() {
  std::barrier sync(2);
  std::thread a(barrier_worker, std::ref(sync), 0);
  std::thread b(barrier_worker, std::ref(sync), 1);
  a.join();
  b.join();
}

void counts_down_twice() {
  std::latch done(2); // CHECK-NOTE: 'done' declared here
  std::jthread t([&] {
    done.count_down(); // CHECK-NOTE: previous count down on the same path here
    if (failed(1))
      done.count_down(); // CHECK-WARN: worker counts down latch 'done' more than once on this path
  });
  std::jthread u([&] { done.count_down(); });
  done.wait();
}

//===--- Balanced: not flagged ---------------------------------------------===//

void every_path(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      if (failed(i)) {
        done.count_down();
        return;
      }
      work(i);
      done.count_down();
    });
  done.wait();
}

// A scope guard counts down on every path, exceptions included.
struct CountDownGuard {
  std::latch &l;
  ~CountDownGuard() { l.count_down(); }
};
void guarded(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      CountDownGuard g{done};
      if (failed(i))
        return;
      work(i);
    });
  done.wait();
}

// A deferred lambda guard: the count-down is out of the path analysis.
template <class F> struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F> ScopeExit(F) -> ScopeExit<F>;
void lambda_guard(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      ScopeExit g{[&] { done.count_down(); }};
      if (failed(i))
        return;
      work(i);
    });
  done.wait();
}

// A worker that terminates the process on its failure path.
void aborts() {
  std::latch done(1);
  std::jthread t([&] {
    if (failed(0))
      std::abort();
    done.count_down();
  });
  done.wait();
}

// Barrier phases: arriving at every phase is the point.
void phases() {
  std::barrier sync(2);
  std::jthread t([&] {
    sync.arrive_and_wait();
    work(1);
    sync.arrive_and_wait();
  });
  sync.arrive_and_wait();
  sync.arrive_and_wait();
}

// A worker that counts down per item: the count accounts for the items.
void per_item(const std::vector<int> &items) {
  std::latch done(static_cast<std::ptrdiff_t>(items.size()));
  std::jthread t([&] {
    for (int item : items) {
      if (failed(item))
        continue;
      done.count_down();
    }
  });
  done.wait();
}

// Waiting is not arriving: a worker that only waits on some paths is fine.
void waits_on_some_paths() {
  std::latch go(1);
  std::jthread t([&] {
    if (failed(0))
      return;
    go.wait();
  });
  go.count_down();
}
