// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// Locals of a lambda at namespace scope are found too (the check walks the
// user's functions and such lambdas, not every variable of the TU).
#include <thread>

void work();

auto starter = [] {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
}; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when it goes out of scope here

auto joiner = [] {
  std::thread t(work);
  t.join();
};
