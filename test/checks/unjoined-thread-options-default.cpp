// Without the ThreadTypes option, other thread-like types are not tracked.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
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

// Not a thread type by default.
void customType() {
  lib::worker_thread t(work);
  if (!ready())
    return;
  t.join();
}
