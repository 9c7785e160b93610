// A library's task arena, as oneTBB writes it: `execute` binds the callable
// into a local delegate lent to an entry point declared only (defined in
// the library's binary); `enqueue` copies it into a task on the heap;
// `post` lends a std::function the library can copy.
#include <functional>

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
