// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// Semaphores acquired and not released on every path.
#include <semaphore>
#include <stdexcept>
#include <thread>

std::counting_semaphore<8> slots(8); // CHECK-NOTE: 'slots' declared here
bool bad(int);
int work(int);

int early_return(int x) {
  slots.acquire(); // CHECK-NOTE: 'slots' acquired here
  if (bad(x))
    return -1; // CHECK-WARN: function returns without releasing semaphore 'slots' on this path
  // CHECK-NOTE@-1: release from a scope guard (a local object whose destructor calls release()) so that every path releases
  int r = work(x);
  slots.release();
  return r;
}

void throws(std::binary_semaphore &gate, int x) { // CHECK-NOTE: 'gate' declared here
  gate.acquire(); // CHECK-NOTE: 'gate' acquired here
  if (bad(x))
    throw std::runtime_error("bad"); // CHECK-WARN: function throws without releasing semaphore 'gate' on this path
  // CHECK-NOTE@-1: release from a scope guard (a local object whose destructor calls release()) so that every path releases
  work(x);
  gate.release();
}

// Inside a worker lambda too.
void in_worker(std::counting_semaphore<4> &sem) { // CHECK-NOTE: 'sem' declared here
  std::jthread t([&sem] {
    sem.acquire(); // CHECK-NOTE: 'sem' acquired here
    if (bad(1))
      return; // CHECK-WARN: function returns without releasing semaphore 'sem' on this path
    // CHECK-NOTE@-1: release from a scope guard (a local object whose destructor calls release()) so that every path releases
    work(1);
    sem.release();
  });
}

//===--- Balanced: not flagged ---------------------------------------------===//

int every_path(int x) {
  slots.acquire();
  if (bad(x)) {
    slots.release();
    return -1;
  }
  int r = work(x);
  slots.release();
  return r;
}

// An RAII guard: its constructor acquires and its destructor releases.
template <class Sem> class SemaphoreGuard {
public:
  explicit SemaphoreGuard(Sem &s) : s_(s) { s_.acquire(); }
  ~SemaphoreGuard() { s_.release(); }

private:
  Sem &s_;
};
struct SlotGuard {
  SlotGuard() { slots.acquire(); }
  ~SlotGuard() { slots.release(); }
};
int guarded(int x) {
  SemaphoreGuard<std::counting_semaphore<8>> g(slots);
  if (bad(x))
    return -1;
  return work(x);
}
int guarded2(int x) {
  SlotGuard g;
  if (bad(x))
    return -1;
  return work(x);
}

// A signal: one side acquires, the other releases.
void consumer(std::binary_semaphore &ready) {
  ready.acquire();
  work(0);
}
void producer(std::binary_semaphore &ready) {
  work(1);
  ready.release();
}

// try_acquire is conditional: not tracked.
bool try_path(int x) {
  if (!slots.try_acquire())
    return false;
  if (bad(x)) {
    slots.release();
    return false;
  }
  work(x);
  slots.release();
  return true;
}

// Acquire and release in a loop, balanced each iteration.
void loop(int n) {
  for (int i = 0; i < n; ++i) {
    slots.acquire();
    work(i);
    slots.release();
  }
}
