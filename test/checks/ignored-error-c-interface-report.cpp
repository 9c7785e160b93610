// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true, pitfall-ignored-error.ReportCInterfaceDrops: true}}" -- -std=c++17
// The C interface drops of ignored-error-c-interface.cpp (an error dropped
// in a C function with no way to report it) reported with
// ReportCInterfaceDrops on, at note severity; the others as before.
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
  b->rep.put(k, n); // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
}
void batch_put_lambda(batch_t *b, const char *k, std::size_t n) {
  auto put = [&] { b->rep.put(k, n); }; // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
  // CHECK-NOTE@-1: {{.*}}
  put();
}
void batch_put_err(batch_t *b, const char *k, std::size_t n, char **errptr) {
  b->rep.put(k, n); // CHECK-WARN: error result of type 'Status' returned by 'put' is discarded
  // CHECK-NOTE@-1: {{.*}}
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
