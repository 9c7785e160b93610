// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17
// Dismissible by default (ReportParseWithFallback): a parse whose result is
// discarded into a variable initialised with the value that is then the
// answer for malformed input, returned at once, by a function that has no
// other way to report the failure (a conversion operator). Reported: an
// uninitialised variable, one changed or used before it is returned, a
// function that could report (an out-parameter, another return type).
// With the option on: ignored-error-parse-fallback-report.cpp.
#include <charconv>
#include <optional>
#include <string_view>

struct Header {
  std::string_view value;
  operator int() const {
    int result = 0;
    std::from_chars(value.data(), value.data() + value.size(), result); // dismissible
    return result;
  }
  long asLong() const {
    long n = -1;
    const char *end = value.data() + value.size();
    std::from_chars(value.data(), end, n, 16); // dismissible
    return n;
  }
};

// Reported: nothing initialises the variable.
int uninitialised(std::string_view s) {
  int result;
  std::from_chars(s.data(), s.data() + s.size(), result); // CHECK-WARN: error result of type 'std::from_chars_result' returned by 'from_chars' is discarded
  // CHECK-NOTE@-1: compare its 'ec' member with std::errc(), pass it on, or cast it to 'void' to drop it on purpose
  return result;
}

// Reported: the function could tell its caller through `ok`.
int withFlag(std::string_view s, bool &ok) {
  int result = 0;
  std::from_chars(s.data(), s.data() + s.size(), result); // CHECK-WARN: error result of type 'std::from_chars_result' returned by 'from_chars' is discarded
  // CHECK-NOTE@-1: compare its 'ec' member with std::errc(), pass it on, or cast it to 'void' to drop it on purpose
  ok = true;
  return result;
}

// Reported: an optional could say that there is no number.
std::optional<int> maybe(std::string_view s) {
  int result = 0;
  std::from_chars(s.data(), s.data() + s.size(), result); // CHECK-WARN: error result of type 'std::from_chars_result' returned by 'from_chars' is discarded
  // CHECK-NOTE@-1: compare its 'ec' member with std::errc(), pass it on, or cast it to 'void' to drop it on purpose
  return result;
}

// Reported: the value is used as if it had been parsed before it is
// returned.
int scaled(std::string_view s) {
  int result = 0;
  std::from_chars(s.data(), s.data() + s.size(), result); // CHECK-WARN: error result of type 'std::from_chars_result' returned by 'from_chars' is discarded
  // CHECK-NOTE@-1: compare its 'ec' member with std::errc(), pass it on, or cast it to 'void' to drop it on purpose
  result *= 10;
  return result;
}

// Reported: the fallback is overwritten before the call.
int overwritten(std::string_view s, int seed) {
  int result = 0;
  result = seed;
  std::from_chars(s.data(), s.data() + s.size(), result); // CHECK-WARN: error result of type 'std::from_chars_result' returned by 'from_chars' is discarded
  // CHECK-NOTE@-1: compare its 'ec' member with std::errc(), pass it on, or cast it to 'void' to drop it on purpose
  return result;
}
