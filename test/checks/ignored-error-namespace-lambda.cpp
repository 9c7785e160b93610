// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++20
// A lambda at namespace scope is a function of its own: its body is walked
// like any function's (the check matches function definitions, not every
// statement of the TU).
#include <system_error>

std::error_code flush_all(); // CHECK-FIX: [[nodiscard]] std::error_code flush_all();
// CHECK-NOTE@-1: add [[nodiscard]] to 'flush_all'

auto flusher = [] {
  flush_all(); // CHECK-WARN: error result of type 'std::error_code' returned by 'flush_all' is discarded
  auto inner = [] {
    flush_all(); // CHECK-WARN: error result of type 'std::error_code' returned by 'flush_all' is discarded
    // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  };
  inner();
};

// Read: not reported.
auto checked = [] {
  if (std::error_code ec = flush_all())
    return false;
  return true;
};
