// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++20
// Macros: a call written through a user macro is reported at the expansion;
// a declaration produced by a macro gets no fix-it.
#include <system_error>

std::error_code save(const char *path); // CHECK-FIX: [[nodiscard]] std::error_code save(const char *path);
// CHECK-NOTE@-1: add [[nodiscard]] to 'save'

#define DECLARE_OP(name) std::error_code name(int)
DECLARE_OP(flush);

#define SAVE(p) save(p) // CHECK-NOTE: expanded from macro 'SAVE'
#define IGNORE(e) (void)(e)

void macros() {
  SAVE("a"); // CHECK-WARN: returned by 'save' is discarded
  // CHECK-WARN@+2: returned by 'flush' is discarded
  // CHECK-NOTE@+1: test the error code (if (ec))
  flush(1);
  IGNORE(save("b"));
}
