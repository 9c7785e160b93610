// Loops of tasks that `main` starts run for the process lifetime (a demo
// server's accept loop): not reported by default (see
// uncancellable-task-main-option.cpp for ReportProcessLifetimeLoops).
// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20 -isystem %S/Inputs/awaiters
#include <cancel_awaiters.h>
#include <thread>

void serve(int);
int accept_one();

// Only main calls it.
lib::task listener() {
  for (;;) {
    co_await lib::plain_sleep{};
    serve(accept_one());
  }
}

// Called from elsewhere too: reported.
lib::task worker() {
  for (;;) { // CHECK-WARN: coroutine loop can never end and never checks a cancellation source
    // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
    co_await lib::plain_sleep{};
    serve(accept_one());
  }
}

void startWorker() { worker(); }

int main() {
  std::thread([] {
    for (;;)
      serve(accept_one());
  }).detach();
  listener();
  worker();
}
