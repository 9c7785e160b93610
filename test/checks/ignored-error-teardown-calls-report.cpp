// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportTeardown: true}}" -- -std=c++20
// Teardown calls outside destructors (ignored-error-teardown-calls.cpp)
// reported with ReportTeardown on.
#include <system_error>

struct Conn {
  void shutdown(int how, std::error_code &ec);
  void close(std::error_code &ec);
};

void finish(Conn &c) {
  std::error_code ec;
  c.shutdown(2, ec); // CHECK-WARN: error stored in 'ec' by 'shutdown' is overwritten before it is read
  c.close(ec);       // CHECK-NOTE: 'ec' is overwritten here
  // CHECK-WARN@-1: error stored in 'ec' by 'close' is never read
}
