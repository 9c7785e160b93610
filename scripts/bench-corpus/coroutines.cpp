// Bench corpus: C++20 coroutines, latches, barriers, semaphores and stop
// tokens from libstdc++.
#include <barrier>
#include <coroutine>
#include <exception>
#include <latch>
#include <optional>
#include <semaphore>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

template <typename T> struct Generator {
  struct promise_type {
    std::optional<T> value;
    Generator get_return_object() {
      return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(T v) {
      value = std::move(v);
      return {};
    }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit Generator(std::coroutine_handle<promise_type> h) : h_(h) {}
  Generator(Generator &&o) noexcept : h_(std::exchange(o.h_, {})) {}
  ~Generator() {
    if (h_)
      h_.destroy();
  }
  std::optional<T> next() {
    if (!h_ || h_.done())
      return std::nullopt;
    h_.resume();
    if (h_.done())
      return std::nullopt;
    return std::move(h_.promise().value);
  }

private:
  std::coroutine_handle<promise_type> h_;
};

Generator<int> range(int n) {
  for (int i = 0; i < n; ++i)
    co_yield i;
}

int sum_range(int n) {
  int s = 0;
  auto g = range(n);
  while (auto v = g.next())
    s += *v;
  return s;
}

void phases(int workers) {
  std::barrier sync(workers);
  std::latch done(workers);
  std::counting_semaphore<8> slots(2);
  std::vector<std::jthread> ts;
  for (int i = 0; i < workers; ++i)
    ts.emplace_back([&](std::stop_token st) {
      for (int phase = 0; phase < 3 && !st.stop_requested(); ++phase) {
        slots.acquire();
        slots.release();
        sync.arrive_and_wait();
      }
      done.count_down();
    });
  done.wait();
}
