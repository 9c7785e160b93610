// Other ways to declare, start and hand off threads.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <coroutine>
#include <thread>
#include <utility>

void work();
bool ready() noexcept;

#define THREAD_TYPE std::thread

// Several threads in one declaration.
void twoInOneDeclaration() {
  std::thread a(work), b(work);
  a.join();
} // CHECK-WARN: thread 'b' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-3:24: thread 'b' started here
// CHECK-FIX@-4: std::jthread a(work), b(work);

// Inside a function template (the pattern is analysed).
template <class F> void inTemplate(F f) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  if (ready())
    return; // CHECK-WARN: when the function returns here
  f();
  t.join();
}

// A dependent callable starts the thread too.
template <class F> void dependentCallable(F f) {
  std::thread runner(f); // CHECK-NOTE: thread 'runner' started here
  // CHECK-FIX@-1: std::jthread runner(f);
  if (ready())
    return; // CHECK-WARN: thread 'runner' is destroyed while joinable (std::terminate is called) when the function returns here
  runner.join();
}

// A type spelled through a macro gets no fix-it.
void macroType() {
  THREAD_TYPE t(work); // CHECK-NOTE: thread 't' started here
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

// std::swap exchanges what is joinable.
void swappedWithStdSwap() {
  std::thread t(work); // CHECK-NOTE: thread 'u' started here
  std::thread u;
  std::swap(t, u);
  t.join(); // joins nothing: the running thread is in u
} // CHECK-WARN: thread 'u' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 'u' before this point

// Started by assignment, destroyed on a path that never joins.
void startedByAssignment(bool b) {
  std::thread t;
  t = std::thread(work); // CHECK-NOTE: thread 't' started here
  if (b)
    return; // CHECK-WARN: when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// co_return leaves the coroutine's scope like return.
struct task {
  struct promise_type {
    task get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {}
  };
};
task coroutine() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  if (ready())
    co_return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  co_await std::suspend_never{};
  t.join();
}

// ---------------------------------------------------------------- negatives

void joinedInWhileLoop() {
  std::thread t(work);
  while (!ready()) {
  }
  t.join();
}

void guardedByJoinableInLoop(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t;
    if (i % 2)
      t = std::thread(work);
    if (t.joinable() && ready())
      t.join();
    else if (t.joinable())
      t.detach();
  }
}

void handedToUnknownCodeByValue(void (*sink)(std::thread)) {
  std::thread t(work);
  sink(std::move(t));
}

std::thread factory();
void fromFactoryIsNotTracked() {
  std::thread t = factory(); // what factory() returns is unknown
}

void startedInBothBranches(bool b) {
  std::thread t = b ? std::thread(work) : std::thread();
  if (t.joinable())
    t.join();
}

// A [[noreturn]] path does not destroy the thread.
[[noreturn]] void fatal() noexcept;
void noreturnPath() {
  std::thread t(work);
  if (!ready())
    fatal();
  t.join();
}
