// pitfall.ThreadJoin honours the policy of pitfall-unjoined-thread's
// ReportProcessLifetimeThreads (one decision in the flow layer,
// TaskLoops::runsForProcessLifetime): a local thread of main, or of a
// function only main calls, that loops forever and is never joined runs for
// the process lifetime and is not reported unless the option asks for it.
// RUN: %analyze %s -std=c++17 -o /dev/null -Xclang -verify=expected,default
// RUN: %analyze %s -std=c++17 -o /dev/null -Xclang -verify=expected,report \
// RUN:   -Xclang -analyzer-config -Xclang pitfall.ThreadJoin:ReportProcessLifetimeThreads=true
#include <thread>

void publish(int);
void serve();
bool more() noexcept;

// Only main calls it; its thread loops forever.
static void startPump() {
  std::thread pump([] {
    for (int id = 0;; ++id)
      publish(id);
  });
  serve();
} // report-warning {{Thread destroyed while joinable}}

// Called from elsewhere too: reported either way.
void startWorker() {
  std::thread worker([] {
    for (;;)
      publish(1);
  });
  serve();
} // expected-warning {{Thread destroyed while joinable}}

void restart() { startWorker(); }

int main() {
  startPump();
  // A loop that can end: reported (with the option on, the path has ended
  // at the pump's report, std::terminate, before it gets here).
  std::thread reader([] {
    while (more())
      publish(2);
  });
  serve();
  return 0; // default-warning {{Thread destroyed while joinable}}
}
