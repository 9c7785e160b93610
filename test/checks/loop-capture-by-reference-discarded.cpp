// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Assigning a coroutine's task to `std::ignore` drops it: the object's
// assignment operator never reads what it is given, nothing is kept. A
// lambda whose task goes there escapes nowhere (YACLib's tests start their
// coroutines so and drain the executor before returning). A sink that
// stores what it is given, or a global of another type, is still a store.
#include <coroutine>
#include <cstddef>
#include <tuple>

struct Future {
  struct promise_type {
    Future get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Manual {
  std::size_t Drain();
};
struct OnAwaiter {
  bool await_ready();
  void await_suspend(std::coroutine_handle<>);
  void await_resume();
};
OnAwaiter On(Manual &);

void workers() {
  Manual manual;
  std::size_t done = 0;
  auto worker = [&]() -> Future {
    co_await On(manual);
    ++done;
    co_return;
  };
  for (int j = 0; j < 3; ++j)
    std::ignore = worker();
  manual.Drain();
}

// A project's own sink, written like the standard one.
struct Discard {
  template <typename T> const Discard &operator=(T &&) const { return *this; }
};
inline constexpr Discard discard{};

void ownSink() {
  Manual manual;
  auto worker = [&]() -> Future {
    co_await On(manual);
    co_return;
  };
  discard = worker();
  manual.Drain();
}

// A global that keeps the task: the lambda outlives the call.
Future kept;

void keptTask() {
  Manual manual;
  auto worker = [&]() -> Future {
    // CHECK-WARN@+1:17: 'manual' is captured by reference in a lambda that is stored in 'kept'; it is destroyed when the function returns (dangling reference)
    co_await On(manual);
    co_return;
  };
  // CHECK-NOTE@+1:3: stored here
  kept = worker();
  manual.Drain();
}

// A sink with a member that keeps what it is given is a store.
struct Keeper {
  Future Last;
  Keeper &operator=(Future F) {
    Last = F;
    return *this;
  }
};
Keeper keeper;

void keeperTask() {
  Manual manual;
  auto worker = [&]() -> Future {
    // CHECK-WARN@+1:17: 'manual' is captured by reference in a lambda that is stored in 'keeper'; it is destroyed when the function returns (dangling reference)
    co_await On(manual);
    co_return;
  };
  // CHECK-NOTE@+1:3: stored here
  keeper = worker();
  manual.Drain();
}

// A sink without members whose operator= hands its argument on keeps it
// elsewhere: not a discard.
void remember(const Future &);
struct Forwarder {
  const Forwarder &operator=(const Future &F) const {
    remember(F);
    return *this;
  }
};
inline constexpr Forwarder forwarder{};

void forwardedTask() {
  Manual manual;
  auto worker = [&]() -> Future {
    // CHECK-WARN@+1:17: 'manual' is captured by reference in a lambda that is stored in 'forwarder'; it is destroyed when the function returns (dangling reference)
    co_await On(manual);
    co_return;
  };
  // CHECK-NOTE@+1:3: stored here
  forwarder = worker();
  manual.Drain();
}
