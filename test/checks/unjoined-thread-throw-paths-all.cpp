// ReportThrowPaths: all reports failed test assertions and exceptions that
// no handler catches too.
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ReportThrowPaths: all}}" -- -std=c++17
#include <stdexcept>
#include <thread>

void work();
bool check() noexcept;
void mayThrow();

// GoogleTest's fatal assertions return from the test when they fail (each
// macro line is noted twice: under the warning and under its note).
// CHECK-NOTE@+2: expanded from macro 'GTEST_FATAL_FAILURE_'
// CHECK-NOTE@+1: expanded from macro 'GTEST_FATAL_FAILURE_'
#define GTEST_FATAL_FAILURE_ return
// CHECK-NOTE@+2: expanded from macro 'ASSERT_TRUE'
// CHECK-NOTE@+1: expanded from macro 'ASSERT_TRUE'
#define ASSERT_TRUE(c) if (!(c)) GTEST_FATAL_FAILURE_

void assertionReturns() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  ASSERT_TRUE(check());
  // CHECK-WARN@-1: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-2: join or detach 't' before this point
  t.join();
}

static void onlyFromMain() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// An exception that passes the handlers of a try statement none of which
// catches it.
struct RequestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
static void handlerThenJoin() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  try {
    mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
  } catch (const RequestError &) {
  }
  t.join();
}

int main() {
  handlerThenJoin();
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  onlyFromMain();
  t.join();
}

// A precondition check's std::logic_error path is reported with `all`.
inline void requireThat(bool Ok, const char *What) {
  if (Ok)
    return;
  throw std::logic_error(What);
}

void preconditionHelper(int N) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  requireThat(N > 0, "N must be positive"); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}
