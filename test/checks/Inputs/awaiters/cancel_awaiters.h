// A coroutine library's awaiters, included as a system header: one resumes
// by throwing when its scope was cancelled, one never looks.
#include <coroutine>
#include <stdexcept>

namespace lib {

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

struct cancelled_error : std::runtime_error {
  cancelled_error() : std::runtime_error("cancelled") {}
};

struct scope {
  bool cancelled = false;
};

struct cancellable_sleep {
  scope *s;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() const {
    if (s->cancelled)
      throw cancelled_error();
  }
};

struct plain_sleep {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  void await_resume() const noexcept {}
};

struct failing_read {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) noexcept {}
  int await_resume() const { throw std::runtime_error("always"); }
};

} // namespace lib
