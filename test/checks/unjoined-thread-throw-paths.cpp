// ReportThrowPaths (default user-exceptions): a failed test assertion
// returning from the test, and exceptions no handler up the call chain of
// main can catch (the program terminates either way), are not reported;
// unjoined-thread-throw-paths-all.cpp has them with `all`.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17 -I %S/Inputs/gtest-like
#include "gtest_like.h"
#include <stdexcept>
#include <thread>

void work();
bool check() noexcept;
void mayThrow();

// ---------------------------------------------------------------- negatives

void assertionReturns() {
  std::thread t(work);
  ASSERT_TRUE(check());
  t.join();
}

static void onlyFromMain() {
  std::thread t(work);
  mayThrow();
  t.join();
}

int main() {
  std::thread t(work);
  mayThrow();
  onlyFromMain();
  t.join();
  try {
    std::thread u(work); // CHECK-NOTE: thread 'u' started here
    mayThrow(); // CHECK-WARN: thread 'u' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 'u' before this point
    u.join();
  } catch (const std::exception &) {
  }
}

// ---------------------------------------------------------------- positives

void plainReturn() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  if (!check())
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// Callable from other translation units, which may catch.
void externalHelper() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}
