// ReportProcessLifetimeThreads: true reports the threads main starts that
// loop forever and are never joined (unjoined-thread-process-lifetime.cpp).
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ReportProcessLifetimeThreads: true}}" -- -std=c++17
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
// CHECK-NOTE@-1: join or detach 'pump' before this point
