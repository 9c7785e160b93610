// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// Seen in concurrencpp's tests (10 findings): between start and join only
// test helpers run. assert_throws catches every exception of its task; the
// one call left, assert_false, is defined in another translation unit and
// aborts on failure. An assertion helper out of sight (a name that starts
// with "assert") is taken not to throw; any other function out of sight that
// is not noexcept still may.
#include <stdexcept>
#include <thread>

void assert_false(bool condition); // elsewhere: prints and calls std::abort()

template <class E, class F> void assert_throws(F &&task) {
  try {
    task();
  } catch (const E &) {
    return;
  } catch (...) {
  }
  assert_false(true);
}

void shutdown_interrupts_wait() {
  std::thread t([] {});
  assert_throws<std::runtime_error>([] { throw std::runtime_error("shutdown"); });
  t.join();
}

void step(); // elsewhere; may throw

void unseen_call_may_still_throw() {
  std::thread t([] {}); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t([] {});
  step(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  t.join();
}
