// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++17
// A task whose last action is a (release or seq_cst) store of an atomic the
// iteration then spins on until it sees that value (`while (!done)
// yield();`) no longer touches the iteration's locals once the spin ends:
// its by-reference captures do not dangle (oneTBB's arena tests:
// `arena.enqueue([&] { task_done = true; }); while (!task_done) yield();`).
#include <atomic>
#include <thread>
#include <vector>

void use(int);

namespace app {
class Arena {
public:
  template <class F> void enqueue(F &&f) {}
};
} // namespace app

void spunUntilDone(std::vector<app::Arena> &arenas) {
  for (auto &a : arenas) {
    std::atomic<bool> done{false};
    int result = 0;
    a.enqueue([&] {
      result = 42;
      done = true;
    });
    while (!done)
      std::this_thread::yield();
    use(result);
  }
  for (auto &a : arenas) {
    std::atomic<int> state{0};
    a.enqueue([&state] { state.store(2); });
    while (state.load() != 2) {
    }
  }
}

// ------------------------------------------------------- reported anyway

// The task goes on after the store the spin waits for.
void notLast(std::vector<app::Arena> &arenas) {
  for (auto &a : arenas) {
    // CHECK-NOTE@+1: 'done' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic<bool> done{false};
    int result = 0;
    // CHECK-WARN@+4: 'done' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-WARN@+3: 'result' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+2: passed to 'enqueue' here
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&done, &result] {
      done = true;
      result = 42; // CHECK-NOTE: 'result' is modified in the lambda: no fix-it, decide whether each task needs its own copy or state that outlives the loop
    });
    while (!done)
      std::this_thread::yield();
  }
}

// A relaxed store orders nothing.
void relaxedStore(std::vector<app::Arena> &arenas) {
  for (auto &a : arenas) {
    // CHECK-NOTE@+1: 'done' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic<bool> done{false};
    int result = 0;
    // CHECK-WARN@+4: 'done' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-WARN@+3: 'result' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+2: passed to 'enqueue' here
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&done, &result] {
      result = 1; // CHECK-NOTE: 'result' is modified in the lambda: no fix-it, decide whether each task needs its own copy or state that outlives the loop
      done.store(true, std::memory_order_relaxed);
    });
    while (!done)
      std::this_thread::yield();
  }
}

// The spin waits for another value than the one stored.
void otherValue(std::vector<app::Arena> &arenas) {
  for (auto &a : arenas) {
    // CHECK-NOTE@+1: 'state' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic<int> state{0};
    // CHECK-WARN@+2: 'state' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&state] { state.store(1); });
    while (state.load() != 2) {
    }
  }
}

// No spin at all.
void noSpin(std::vector<app::Arena> &arenas) {
  for (auto &a : arenas) {
    // CHECK-NOTE@+1: 'done' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic<bool> done{false};
    // CHECK-WARN@+2: 'done' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&done] { done = true; });
  }
}

// A local of the task destroyed after the store may still use the captures.
struct Signaller {
  std::atomic<bool> &flag;
  ~Signaller() { (void)flag.load(); }
};
void guardAfter(std::vector<app::Arena> &arenas) {
  for (auto &a : arenas) {
    // CHECK-NOTE@+1: 'done' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic<bool> done{false};
    // CHECK-WARN@+2: 'done' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&done] {
      Signaller s{done};
      done = true;
    });
    while (!done)
      std::this_thread::yield();
  }
}
