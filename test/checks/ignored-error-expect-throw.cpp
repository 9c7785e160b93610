// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++20
// A call made only to check that it throws has no result to read: the
// last statement of a lambda handed to an "expect it throws" helper
// (concurrencpp's tests: assert_throws<E>([&] { lock.lock(nullptr); })), and
// the statement argument of an EXPECT_THROW-style macro (GoogleTest,
// Boost.Test). "no throw" helpers are not exempt: there the call succeeds and
// its error is dropped.
#include <stdexcept>
#include <system_error>

std::error_code save(const char *path); // CHECK-FIX: [[nodiscard]] std::error_code save(const char *path);
// CHECK-NOTE@-1: add [[nodiscard]] to 'save'

template <class E, class F> void assert_throws(F &&f) {
  try {
    f();
  } catch (const E &) {
    return;
  }
  throw std::logic_error("did not throw");
}
template <class F> void assert_no_throw(F &&f) { f(); }
template <class F> void run(F &&f) { f(); }

#define INNER_TEST_THROW(statement, exception)                                 \
  try {                                                                        \
    statement;                                                                 \
  } catch (const exception &) {                                                \
  }
#define EXPECT_THROW(statement, exception) INNER_TEST_THROW(statement, exception)
#define EXPECT_NO_THROW(statement) { statement; }

void expected_to_throw() {
  assert_throws<std::invalid_argument>([] { save(nullptr); });
  assert_throws<std::invalid_argument>([] {
    int unused = 0;
    (void)unused;
    save(nullptr);
  });
  EXPECT_THROW(save(nullptr), std::invalid_argument);
}

void not_expected_to_throw() {
  // The first call in source order gets the [[nodiscard]] fix-it (line 11).
  assert_no_throw([] { save("a"); }); // CHECK-WARN: error result of type 'std::error_code' returned by 'save' is discarded
  run([] { save("b"); }); // CHECK-WARN: error result of type 'std::error_code' returned by 'save' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  // Not the last statement: this one ran to completion and its error is lost.
  assert_throws<std::invalid_argument>([] {
    save("c"); // CHECK-WARN: error result of type 'std::error_code' returned by 'save' is discarded
    // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
    save(nullptr);
  });
  EXPECT_NO_THROW(save("d")); // CHECK-WARN: error result of type 'std::error_code' returned by 'save' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
}
