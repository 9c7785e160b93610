// Before C++20 there is no std::jthread: a note says where to join instead.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <thread>

void work();
bool ready() noexcept;

void earlyReturn() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  if (!ready())
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

class Server {
public:
  Server() : worker_(work) {} // CHECK-NOTE: thread 'worker_' started here

private:
  std::thread worker_;
};
// CHECK-WARN@-7: the implicit destructor of 'Server' does not join or detach thread member 'worker_'
// CHECK-NOTE@-8: join or detach 'worker_' in the destructor
