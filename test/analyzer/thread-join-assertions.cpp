// pitfall.ThreadJoin honours the policy of pitfall-unjoined-thread's
// ReportThrowPaths for test assertions: a failed assertion of the
// AssertionMacros option (GoogleTest's ASSERT_* returns from the test
// function) between a thread's start and its join ends the test; the
// thread it leaves joinable is reported only with ReportThrowPaths=all.
// RUN: %analyze %s -std=c++17 -o /dev/null -Xclang -verify=expected,plain
// RUN: %analyze %s -std=c++17 -o /dev/null -Xclang -verify=expected,plain,all \
// RUN:   -Xclang -analyzer-config -Xclang pitfall.ThreadJoin:ReportThrowPaths=all
// RUN: %analyze %s -std=c++17 -o /dev/null -Xclang -verify=expected,custom \
// RUN:   -Xclang -analyzer-config -Xclang pitfall.ThreadJoin:AssertionMacros=CHECK_OR_BAIL
#include <thread>

// GoogleTest's shape: a fatal failure returns from the function.
#define GTEST_FATAL_FAILURE_(msg) return fail(msg)
#define ASSERT_TRUE(c)                                                         \
  if (c)                                                                       \
    ;                                                                          \
  else                                                                         \
    GTEST_FATAL_FAILURE_("Value of: " #c)
#define CHECK_OR_BAIL(c)                                                       \
  if (!(c))                                                                    \
  return

void fail(const char *);
void work();
bool ready();

void assertion_between_start_and_join() {
  std::thread t(work);
  ASSERT_TRUE(ready()); // all-warning {{Thread destroyed while joinable}} custom-warning {{Thread destroyed while joinable}}
  t.join();
}

// A macro of the project's own, not an assertion by default.
void own_macro_between_start_and_join() {
  std::thread t(work);
  CHECK_OR_BAIL(ready()); // plain-warning {{Thread destroyed while joinable}}
  t.join();
}

// An early return of the function's own: reported either way.
void early_return() {
  std::thread t(work);
  if (!ready())
    return; // expected-warning {{Thread destroyed while joinable}}
  t.join();
}

// An assertion helper the test calls: a fatal failure returns from the
// helper only, and the test goes on to join.
void check_ready() { ASSERT_TRUE(ready()); }
void assertion_in_helper() {
  std::thread t(work);
  check_ready();
  t.join();
}

// An assertion before the start: nothing to report.
void assertion_before_start() {
  ASSERT_TRUE(ready());
  std::thread t(work);
  t.join();
}
