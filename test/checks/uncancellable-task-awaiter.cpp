// A coroutine loop whose awaiter checks cancellation inside the library: an
// await_resume that throws when the operation was cancelled ends the loop.
// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20 -isystem %S/Inputs/awaiters
#include <cancel_awaiters.h>

void tick();

// ---------------------------------------------------------------- negatives

lib::task cancellableTicks(lib::scope *s) {
  for (;;) {
    co_await lib::cancellable_sleep{s};
    tick();
  }
}

// ---------------------------------------------------------------- positives

lib::task plainTicks() {
  for (;;) { // CHECK-WARN: coroutine loop can never end and never checks a cancellation source
    // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
    co_await lib::plain_sleep{};
    tick();
  }
}

// An awaiter that always throws is an error path, not a cancellation check.
lib::task alwaysFails() {
  for (;;) { // CHECK-WARN: coroutine loop can never end and never checks a cancellation source
    // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
    try {
      (void)co_await lib::failing_read{};
    } catch (...) {
    }
    tick();
  }
}
