// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A function with an executor's name (`execute`) that binds the callable it
// is given into a local delegate and lends the delegate, by reference, to a
// library function whose body is not seen (oneTBB's
// `task_arena::execute`): the library cannot keep the local past the
// return, so the callable runs before execute() returns. Not a start: a
// lambda capturing the loop's variables by reference is safe there. One
// copied into a heap task handed to the library (`enqueue`), or lent as a
// std::function the library can copy, is still a start.
#include <functional>

void use(int);

namespace lib {
struct delegate_base {
  virtual bool operator()() const = 0;
  virtual ~delegate_base() {}
};
struct task_base {
  virtual void run() = 0;
  virtual ~task_base() {}
};
struct arena_base {};
namespace r1 {
// Declared only: defined in the library's binary.
void execute(arena_base &, delegate_base &);
void enqueue(task_base &, arena_base *);
void post(const std::function<void()> &);
} // namespace r1

template <class F> class function_delegate : public delegate_base {
  F &f_;

public:
  explicit function_delegate(F &f) : f_(f) {}
  bool operator()() const override {
    f_();
    return true;
  }
};
template <class F> class function_task : public task_base {
  F f_;

public:
  explicit function_task(const F &f) : f_(f) {}
  void run() override { f_(); }
};

class arena : public arena_base {
  template <class F> void execute_impl(F &f) {
    function_delegate<F> d(f);
    r1::execute(*this, d);
  }

public:
  template <class F> void execute(F &&f) { execute_impl(f); }
  template <class F> void enqueue(F &&f) {
    r1::enqueue(*new function_task<F>(f), this);
  }
  template <class F> void post(F &&f) {
    std::function<void()> fn(f);
    r1::post(fn);
  }
};
} // namespace lib

// --- not flagged: run before execute() returns --------------------------------

void executed(lib::arena &a, int n) {
  for (int i = 0; i < n; ++i)
    a.execute([&] { use(i); });
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    a.execute([&chunk] { use(chunk); });
  }
}

// --- flagged: the task outlives the call --------------------------------------

void enqueued(lib::arena &a, int n) {
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    // CHECK-WARN@+2: 'chunk' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&chunk] { use(chunk); });
    // CHECK-FIX: a.enqueue([chunk] { use(chunk); });
  }
}

void posted(lib::arena &a, int n) {
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    // CHECK-WARN@+2: 'chunk' is captured by reference in a lambda that is passed to 'post'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'post' here
    a.post([&chunk] { use(chunk); });
    // CHECK-FIX: a.post([chunk] { use(chunk); });
  }
}
