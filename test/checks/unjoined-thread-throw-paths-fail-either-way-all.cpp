// With ReportThrowPaths: all, the throw paths whose every handler up the
// call chain ends the program with a failure are reported
// (unjoined-thread-throw-paths-fail-either-way.cpp has the default).
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ReportThrowPaths: all}}" -- -std=c++17
#include <exception>
#include <iostream>
#include <thread>

void work();
void mayThrow();

template <typename F> void runWithTimeLimit(F action, unsigned seconds) {
  (void)seconds;
  action();
}

static void helperCalledInMainTry() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

int main() {
  std::thread own(work); // CHECK-NOTE: thread 'own' started here
  try {
    mayThrow();
  } catch (...) {
    return 1; // CHECK-WARN: thread 'own' is destroyed while joinable (std::terminate is called) when the function returns here
    // CHECK-NOTE@-1: join or detach 'own' before this point
  }
  own.join();
  try {
    runWithTimeLimit(
        [] {
          std::thread w(work); // CHECK-NOTE: thread 'w' started here
          mayThrow(); // CHECK-WARN: thread 'w' is destroyed while joinable (std::terminate is called) if this call throws
          // CHECK-NOTE@-1: join or detach 'w' before this point
          w.join();
        },
        20);
    helperCalledInMainTry();
  } catch (const std::exception &ex) {
    std::cerr << "Error: " << ex.what() << std::endl;
    return 1;
  }
  return 0;
}
