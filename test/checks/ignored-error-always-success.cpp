// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++20
// A function whose every return gives success (a value-initialised error
// code) has no error to drop: discarding its result loses nothing. It is
// recognised by its body, so a definition that can fail, one out of sight,
// or a virtual call (an override may fail) stays reported.
#include <system_error>

using error_code = std::error_code;

// The transport's dispatch: posts the handler, always succeeds.
struct Transport {
  error_code dispatch(void (*Handler)()) {
    Handler();
    return error_code();
  }
  error_code init() { return {}; }
  static error_code shutdown_all() { return std::error_code{}; }
  // Forwards another success-only function.
  error_code post(void (*Handler)()) { return dispatch(Handler); }
  error_code connect(int Port) { // CHECK-FIX: [[nodiscard]] error_code connect(int Port) {
    // CHECK-NOTE@-1: add [[nodiscard]] to 'connect'
    if (Port < 0)
      return std::make_error_code(std::errc::invalid_argument);
    return {};
  }
  virtual error_code flush() { return {}; } // CHECK-FIX: [[nodiscard]] virtual error_code flush() { return {}; }
  // CHECK-NOTE@-1: add [[nodiscard]] to 'flush'
  virtual ~Transport() = default;
  error_code declared_only(); // CHECK-FIX: [[nodiscard]] error_code declared_only();
  // CHECK-NOTE@-1: add [[nodiscard]] to 'declared_only'
};

template <typename Config> struct Connection {
  typename Config::transport T;
  void start(void (*Handler)()) {
    T.dispatch(Handler);
    T.init();
    T.connect(80); // CHECK-WARN: error result of type 'error_code' (aka 'std::error_code') returned by 'connect' is discarded
  }
};
struct Config {
  using transport = Transport;
};

void run(Transport &T, void (*Handler)()) {
  T.dispatch(Handler);
  T.init();
  Transport::shutdown_all();
  T.post(Handler);
  Connection<Config> C;
  C.start(Handler);
  // Reported: may fail, or the body is not known.
  T.connect(1); // CHECK-WARN: error result of type 'error_code' (aka 'std::error_code') returned by 'connect' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  T.flush(); // CHECK-WARN: error result of type 'error_code' (aka 'std::error_code') returned by 'flush' is discarded
  T.declared_only(); // CHECK-WARN: error result of type 'error_code' (aka 'std::error_code') returned by 'declared_only' is discarded
  // A call of the function as defined (no virtual dispatch): its body.
  T.Transport::flush();
}
