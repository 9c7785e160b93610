// RUN: %check_tidy %s pitfall-loop-capture-by-reference \
// RUN:   -config="{CheckOptions: {pitfall-loop-capture-by-reference.ThreadTypes: '::my::Thread', pitfall-loop-capture-by-reference.EscapeFunctions: 'my::later'}}" \
// RUN:   -- -std=c++20
// ThreadTypes and EscapeFunctions replace the defaults.
#include <thread>

void use(int);

namespace my {
struct Thread {
  template <class F> explicit Thread(F &&f) {}
  void detach();
};
template <class F> void later(F &&f) {}
struct Pool {
  template <class F> void submit(F &&f) {}
};
} // namespace my

void configured(my::Pool &pool, int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+1: thread started here
    my::Thread([&i] { use(i); }).detach(); // CHECK-NOTE: the thread is detached here
  // CHECK-FIX: my::Thread([i] { use(i); }).detach();
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'later'
    // CHECK-NOTE@+1: passed to 'later' here
    my::later([&i] { use(i); });
  // CHECK-FIX: my::later([i] { use(i); });
  // Not in the configured list any more:
  for (int i = 0; i < n; ++i)
    pool.submit([&i] { use(i); });
  for (int i = 0; i < n; ++i)
    std::thread([&i] { use(i); }).detach();
}
