// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A lambda handed to a call whose result the iteration co_awaits at once:
// the awaited operation ends before the iteration does (a block executor's
// `co_await post(f)` returns f's result), so the captured loop variable is
// alive for as long as the lambda runs. Not awaited, or awaited after the
// iteration, it may still run when the variable is gone.
#include <coroutine>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct Lazy {
  struct promise_type {
    Lazy get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};

struct Executor {
  void schedule(void (*)(void *), void *);
};
Executor &blockExecutor();

// Runs f on the block executor; the returned task completes when f has run.
template <typename Result = Lazy, typename F> Result post(F f) {
  struct Box {
    F Fn;
    static void run(void *P) { static_cast<Box *>(P)->Fn(); }
  };
  Box *B = new Box{static_cast<F &&>(f)};
  blockExecutor().schedule(&Box::run, B);
  co_return;
}

std::size_t scan(const std::string &);
void keep(Lazy);

Lazy refresh(std::vector<std::string> dirs) {
  for (const std::string &d : dirs) {
    std::string dir = d;
    co_await post([&dir] { scan(dir); });
  }
}

Lazy refreshAll(std::vector<std::string> dirs) {
  std::vector<Lazy> pending;
  for (const std::string &d : dirs) {
    std::string dir = d;
    // CHECK-WARN@+3: 'dir' is captured by reference in a lambda that is passed to 'post'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+2: passed to 'post' here
    // CHECK-NOTE@+1: the task's result is stored in 'pending' here, beyond the iteration
    pending.push_back(post([&dir] { scan(dir); })); // CHECK-FIX: pending.push_back(post([dir] { scan(dir); }));
  }
  for (Lazy &L : pending)
    co_await L;
}

// The awaiting coroutine's promise transforms what it awaits
// (`await_transform`, which asks the task for its awaiter: async_simple's
// Lazy), and the result is kept: the same wait.
namespace transformed {
struct Awaiter {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  std::size_t await_resume() const noexcept { return 0; }
};
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
    template <typename A> auto await_transform(A &&a) {
      return static_cast<A &&>(a).coAwait();
    }
  };
  Awaiter coAwait() && { return {}; }
};
Task refresh(std::vector<std::string> dirs) {
  for (const std::string &d : dirs) {
    std::string dir = d;
    auto n = co_await post<Task>([&dir] { return scan(dir); });
    (void)n;
  }
}
// Kept to await later: it may run after the iteration.
void keep(Task);
Task refreshLater(std::vector<std::string> dirs) {
  for (const std::string &d : dirs) {
    std::string dir = d;
    // CHECK-WARN@+2: 'dir' is captured by reference in a lambda that is passed to 'post'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'post' here
    keep(post<Task>([&dir] { return scan(dir); })); // CHECK-FIX: keep(post<Task>([dir] { return scan(dir); }));
  }
  co_return;
}
} // namespace transformed

// The awaited coroutine hands its result on with `co_return co_await ...`:
// the promise's return_value keeps the value in the promise, which is the
// coroutine's own frame (a task the caller awaits), not an object beyond
// the iteration.
namespace returned {
struct Result {
  std::function<void()> onDone;
};
struct Awaiter {
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  Result await_resume() const noexcept { return {}; }
};
template <typename T> struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    template <typename U> void return_value(U &&u) {
      value.emplace(static_cast<U &&>(u));
    }
    void unhandled_exception() {}
    std::optional<T> value;
  };
  Awaiter operator co_await() && { return {}; }
};
struct Client {};
template <typename Op> Task<Result> each(Op op) {
  Client c;
  co_return co_await op(c);
}
template <typename Op> Task<Result> send(Op op) {
  co_return co_await each(static_cast<Op &&>(op));
}
Task<Result> request(const int *hosts) {
  for (int i = 0; i < 100; ++i) {
    auto res = co_await send([&i, hosts](Client &) -> Task<Result> {
      (void)hosts[i % 2];
      co_return Result{};
    });
    (void)res;
  }
  co_return Result{};
}
// A coroutine that also keeps the callable beyond its own frame: the
// stores of the promise aside, that store stays an escape.
std::vector<std::function<Task<Result>(Client &)>> queued;
template <typename Op> Task<Result> sendQueued(Op op) {
  queued.push_back(op);
  co_return co_await each(static_cast<Op &&>(op));
}
Task<Result> requestQueued(const int *hosts) {
  for (int i = 0; i < 100; ++i) {
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is stored in 'queued'; the loop variable is shared by all iterations (data race, stale value)
    // CHECK-NOTE@+1: stored here
    auto res = co_await sendQueued([&i, hosts](Client &) -> Task<Result> { // CHECK-FIX: auto res = co_await sendQueued([i, hosts](Client &) -> Task<Result> {
      (void)hosts[i % 2];
      co_return Result{};
    });
    (void)res;
  }
  co_return Result{};
}
} // namespace returned
