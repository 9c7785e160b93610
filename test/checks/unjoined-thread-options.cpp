// ThreadTypes names the thread types whose destruction while joinable
// terminates; boost::thread is in the default list.
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ThreadTypes: '::std::thread;::lib::worker_thread'}}" -- -std=c++20
#include <thread>

namespace lib {
// A thread type with std::thread's interface.
class worker_thread {
public:
  worker_thread() noexcept;
  template <class F> explicit worker_thread(F &&f);
  worker_thread(worker_thread &&) noexcept;
  worker_thread &operator=(worker_thread &&) noexcept;
  ~worker_thread();
  bool joinable() const noexcept;
  void join();
  void detach();
};
} // namespace lib

void work();
bool ready() noexcept;

void customType() {
  lib::worker_thread t(work); // CHECK-NOTE: thread 't' started here
  if (!ready())
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

void customTypeJoined() {
  lib::worker_thread t(work);
  t.join();
}
