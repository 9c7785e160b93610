// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20 -Wno-unused-result
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++14
// The std::future returned by std::async, discarded: its destructor blocks
// right there and the task's exception is lost. libstdc++ marks std::async
// [[nodiscard]] from C++17 on, so the check reports it only where the
// compiler does not (C++14, or -Wno-unused-result).
#include <future>
#include <stdexcept>

void dropped() {
  // CHECK-WARN@+2: std::future returned by std::async is discarded: the call blocks until the task finishes and the task's exception is lost
  // CHECK-NOTE@+1: keep the future and call get() on it
  std::async(std::launch::async, [] { throw std::runtime_error("lost"); });
  // CHECK-WARN@+2: std::future returned by std::async is discarded
  // CHECK-NOTE@+1: keep the future
  std::async([](int) {}, 1);
}

// Negative: the future is kept and waited for, or its result is used.
int kept() {
  auto f = std::async(std::launch::async, [] { return 1; });
  auto g = std::async(std::launch::async, [] {}); // waited for at scope end
  std::async([] { return 2; }).get();
  return f.get();
}

// A future that does not come from std::async does not block on destruction.
void promise_future(std::promise<int> &p) { p.get_future(); }
