// A thread started by main (or by a function only main calls) whose body
// loops forever and that is never joined runs for the process lifetime on
// purpose (a demo server's event pump): dismissible, not reported by
// default. unjoined-thread-process-lifetime-report.cpp has
// ReportProcessLifetimeThreads on.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <atomic>
#include <thread>

void publish(int);
void pause() noexcept;
void serve();
bool more() noexcept;
std::atomic<bool> running{true};

// ---------------------------------------------------------------- negatives

// Only main calls it.
static void startPump() {
  std::thread pump([] {
    for (int id = 0;; ++id) {
      pause();
      publish(id);
    }
  });
  serve();
}

static void tick() {
  while (true)
    publish(0);
}

// ---------------------------------------------------------------- positives

// Called from elsewhere too: its thread is not the process's.
void startWorker() {
  std::thread worker([] { // CHECK-NOTE: thread 'worker' started here
    for (;;)
      publish(1);
  });
  serve(); // CHECK-WARN: thread 'worker' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 'worker' before this point
} // CHECK-WARN: thread 'worker' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-7: thread 'worker' started here
// CHECK-NOTE@-2: join or detach 'worker' before this point

void restart() { startWorker(); }

int main(int argc, char **argv) {
  startPump();
  startWorker();
  {
    std::thread events(tick); // a function that loops forever
    serve();
  }
  // A loop that can end: the thread finishes, and is destroyed joinable.
  {
    std::thread poller([] { // CHECK-NOTE: thread 'poller' started here
      while (more())
        publish(2);
    });
    serve();
  } // CHECK-WARN: thread 'poller' is destroyed while joinable (std::terminate is called) when it goes out of scope here
  // CHECK-NOTE@-1: join or detach 'poller' before this point
  // A loop with a break.
  {
    std::thread reader([] { // CHECK-NOTE: thread 'reader' started here
      for (;;) {
        if (!more())
          break;
        publish(3);
      }
    });
    serve();
  } // CHECK-WARN: thread 'reader' is destroyed while joinable (std::terminate is called) when it goes out of scope here
  // CHECK-NOTE@-1: join or detach 'reader' before this point
  // Joined on one path: not a process-lifetime thread.
  {
    std::thread pump([] { // CHECK-NOTE: thread 'pump' started here
      for (;;)
        publish(4);
    });
    serve();
    if (argc > 1)
      pump.join();
  } // CHECK-WARN: thread 'pump' is destroyed while joinable (std::terminate is called) when it goes out of scope here
  // CHECK-NOTE@-1: join or detach 'pump' before this point
}
