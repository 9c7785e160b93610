// boost::thread is a terminating thread type by default.
// REQUIRES: boost-thread
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <boost/thread.hpp>

void work();
bool ready() noexcept;

void earlyReturn() {
  boost::thread t(work); // CHECK-NOTE: thread 't' started here
  if (!ready())
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

void joined() {
  boost::thread t(work);
  t.join();
}

void groupJoins() {
  boost::thread_group g;
  g.create_thread(work);
  g.join_all();
}
