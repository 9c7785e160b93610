// ReportProcessLifetimeLoops: the loops of tasks `main` starts are reported
// too.
// RUN: %check_tidy %s pitfall-uncancellable-task -config="{CheckOptions: {pitfall-uncancellable-task.ReportProcessLifetimeLoops: true}}" -- -std=c++20 -isystem %S/Inputs/awaiters
#include <cancel_awaiters.h>
#include <thread>

void serve(int);
int accept_one();

lib::task listener() {
  for (;;) { // CHECK-WARN: coroutine loop can never end and never checks a cancellation source
    // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
    co_await lib::plain_sleep{};
    serve(accept_one());
  }
}

int main() {
  std::thread([] {
    for (;;) // CHECK-WARN: thread loop can never end
      // CHECK-NOTE@-1: give the loop an exit
      serve(accept_one());
  }).detach();
  // CHECK-NOTE@-5: task started here
  listener();
}
