// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++23
// std::expected from g++-12's libstdc++ works with clang-19 in C++23 mode.
// libstdc++ does not mark std::expected [[nodiscard]] as a type, so the
// check reports dropped ones.
#include <expected>
#include <string>
#include <system_error>

std::expected<int, std::errc> parse(const std::string &s); // CHECK-FIX: [[nodiscard]] std::expected<int, std::errc> parse(const std::string &s);
// CHECK-NOTE@-1: add [[nodiscard]] to 'parse'
std::expected<void, std::string> commit(); // CHECK-FIX: [[nodiscard]] std::expected<void, std::string> commit();
// CHECK-NOTE@-1: add [[nodiscard]] to 'commit'

void dropped() {
  parse("42"); // CHECK-WARN: error result of type 'std::expected<int, std::errc>' returned by 'parse' is discarded
  commit(); // CHECK-WARN: error result of type 'std::expected<void, std::string>'{{.*}} returned by 'commit' is discarded
  auto r = parse("7"); // CHECK-WARN: error stored in 'r' by 'parse' is never read
}

int used() {
  if (!commit())
    return -1;
  auto r = parse("7");
  if (!r.has_value())
    return -1;
  (void)parse("8");
  return parse("9").value_or(0) + *r;
}

// An already-[[nodiscard]] function: the compiler warns, the check does not.
[[nodiscard]] std::expected<int, int> strict();
void strict_dropped() {
  strict(); // clang: -Wunused-result
}
