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

// A thread started by a function only main calls.
static void startAcceptor() {
  std::thread([] {
    for (;;)
      serve(accept_one());
  }).detach();
}

// A thread started by a function called from elsewhere too: reported.
void startPoller() {
  std::thread([] {
    for (;;) // CHECK-WARN: thread loop can never end
      // CHECK-NOTE@-1: give the loop an exit
      serve(accept_one());
  }).detach();
  // CHECK-NOTE@-5: task started here
}

void restartPoller() { startPoller(); }

int main() {
  std::thread([] {
    for (;;)
      serve(accept_one());
  }).detach();
  listener();
  worker();
  startAcceptor();
  startPoller();
}
