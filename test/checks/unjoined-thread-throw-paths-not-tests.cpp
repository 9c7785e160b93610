// In a file that defines no test case, a function is test code only if a
// test case macro's own text names it: not a function whose name a macro
// with a test-case-like name is given as an argument (the name is the
// user's text), nor one another macro defines. Their throw paths stay
// reported.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <thread>

void serve();
void request();

#define REGISTER_TEST_CASE_FUNCTION(fn) void fn()
REGISTER_TEST_CASE_FUNCTION(registered) {
  std::thread server(serve); // CHECK-NOTE: thread 'server' started here
  request(); // CHECK-WARN: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 'server' before this point
  server.join();
}

#define HANDLER(name) void name()
HANDLER(onRequest) {
  std::thread server(serve); // CHECK-NOTE: thread 'server' started here
  request(); // CHECK-WARN: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 'server' before this point
  server.join();
}
