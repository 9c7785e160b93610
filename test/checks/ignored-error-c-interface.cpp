// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17
// (ReportConventionallyIgnored: this file drops one callee at every call
// site; the convention is ignored-error-convention.cpp's.)
// Dismissible by default (ReportCInterfaceDrops): an error dropped in a C
// interface function that has no way to report it: C language linkage, no
// result, no parameter to hand an error back through (rocksdb's C API:
// `rocksdb_writebatch_put()` drops WriteBatch::Put's status by design).
// Reported: a C function with an error out-parameter (`char **errptr`,
// `int *status`), one returning a value, a C++ function of the same shape.
// With the option on: ignored-error-c-interface-report.cpp.
#include <cstddef>
#include <system_error>

struct Status {
  bool ok() const { return code == 0; }
  int code = 0;
};
struct Batch {
  Status put(const char *k, std::size_t n); // CHECK-FIX: [[nodiscard]] Status put(const char *k, std::size_t n);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'put' so that the compiler reports callers that drop its result
};
struct batch_t {
  Batch rep;
};

extern "C" {
void batch_put(batch_t *b, const char *k, std::size_t n) {
  b->rep.put(k, n); // dismissible: nowhere to report it
}
void batch_put_lambda(batch_t *b, const char *k, std::size_t n) {
  auto put = [&] { b->rep.put(k, n); }; // dismissible: in the C function
  put();
}
void batch_put_err(batch_t *b, const char *k, std::size_t n, char **errptr) {
  b->rep.put(k, n); // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
  (void)errptr;
}
void batch_put_status(batch_t *b, const char *k, std::size_t n, int *status) {
  b->rep.put(k, n); // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
  // CHECK-NOTE@-1: {{.*}}
  *status = 0;
}
int batch_put_ret(batch_t *b, const char *k, std::size_t n) {
  b->rep.put(k, n); // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
  // CHECK-NOTE@-1: {{.*}}
  return 0;
}
}

void cppPut(batch_t *b, const char *k, std::size_t n) {
  b->rep.put(k, n); // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
  // CHECK-NOTE@-1: {{.*}}
}
