// RUN: %check_tidy %s pitfall-uncancellable-task -config="{CheckOptions: {pitfall-uncancellable-task.CancellationChecks: 'app::Token::throw_if_cancelled;check_cancel'}}" -- -std=c++20
#include <coroutine>
#include <exception>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

namespace app {
struct Token {
  void throw_if_cancelled() const;
  bool other() const;
};
} // namespace app
void check_cancel();

task configured_member(const app::Token &t) {
  for (;;) {
    t.throw_if_cancelled();
    co_await std::suspend_always{};
  }
}

task configured_free() {
  for (;;) {
    check_cancel();
    co_await std::suspend_always{};
  }
}

task not_configured(const app::Token &t) {
  for (;;) { // CHECK-WARN: coroutine loop can never end
    // CHECK-NOTE@-1: take a std::stop_token
    (void)t.other();
    co_await std::suspend_always{};
  }
}
