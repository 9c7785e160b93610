// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
#include <coroutine>
#include <exception>
#include <stop_token>

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

template <typename T> struct generator {
  struct promise_type {
    T value;
    generator get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) { value = v; return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

struct tick {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

bool done();
void handle();
bool is_cancelled();

// --- Flagged ---------------------------------------------------------------

task pump() {
  for (;;) { // CHECK-WARN: coroutine loop can never end and never checks a cancellation source
    // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
    co_await tick{};
    handle();
  }
}

task pump_with_token(std::stop_token st) {
  while (true) { // CHECK-WARN: coroutine loop can never end
    // CHECK-FIX@-1: while (!st.stop_requested()) {
    co_await tick{};
  }
}

auto lambda_pump = []() -> task {
  while (true) // CHECK-WARN: coroutine loop can never end
    co_await tick{}; // CHECK-NOTE@-1: take a std::stop_token
};

// co_return in dead code is no exit.
task dead_coreturn() {
  while (true) { // CHECK-WARN: coroutine loop can never end
    // CHECK-NOTE@-1: take a std::stop_token
    co_await tick{};
    if constexpr (false)
      co_return;
  }
}

// --- Not flagged -----------------------------------------------------------

task pump_until_done() {
  for (;;) {
    co_await tick{};
    if (done())
      co_return;
  }
}

task pump_break() {
  while (true) {
    co_await tick{};
    if (done())
      break;
  }
}

task pump_token(std::stop_token st) {
  while (!st.stop_requested())
    co_await tick{};
}

// An infinite generator is stopped by destroying it.
generator<int> naturals() {
  for (int i = 0;; ++i)
    co_yield i;
}

task bounded() {
  for (int i = 0; i < 3; ++i)
    co_await tick{};
}

// Not a coroutine: no co_await / co_yield / co_return.
void plain_loop() {
  for (;;)
    handle();
}
