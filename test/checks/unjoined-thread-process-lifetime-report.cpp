// ReportProcessLifetimeThreads: true reports the threads main starts that
// loop forever and are never joined (unjoined-thread-process-lifetime.cpp).
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ReportProcessLifetimeThreads: true}}" -- -std=c++17
// Dismissible, it is a note in pitfall-scan's report:
// RUN: %scan_one %s pitfall-unjoined-thread --option pitfall-unjoined-thread.ReportProcessLifetimeThreads=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=SCAN
#include <thread>

void publish(int);
void serve() noexcept;

int main() {
  std::thread pump([] { // CHECK-NOTE: thread 'pump' started here
    for (int id = 0;; ++id)
      publish(id);
  });
  serve();
} // CHECK-WARN: thread 'pump' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// SCAN: lifetime-report.cpp:[[@LINE-1]]:1: note: thread 'pump' is destroyed while joinable
// CHECK-NOTE@-2: join or detach 'pump' before this point
