// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Executor functions (EscapeFunctions), wrappers, and waiting for results.
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

void use(int);

namespace app {
class Pool {
public:
  template <class F> std::future<void> submit(F &&f) { return {}; }
  template <class F> void detach_task(F &&f) {}
  template <class F> void post(F &&f) {}
  void wait();
};
template <class F> void enqueue(Pool &, F &&f) {}
void run_here(const std::function<void()> &f);
} // namespace app

void submitted(app::Pool &pool, int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2:27: 'i' is captured by reference in a lambda that is passed to 'submit'; the loop variable is shared by all iterations (data race, stale value)
    // CHECK-NOTE@+1: passed to 'submit' here
    pool.submit([&] { use(i); });
  // CHECK-FIX: pool.submit([&, i] { use(i); });
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    // CHECK-WARN@+2: 'chunk' is captured by reference in a lambda that is passed to 'detach_task'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'detach_task' here
    pool.detach_task([&chunk] { use(chunk); });
    // CHECK-FIX: pool.detach_task([chunk] { use(chunk); });
  }
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'enqueue'
    // CHECK-NOTE@+1: passed to 'enqueue' here
    app::enqueue(pool, [&i] { use(i); });
  // CHECK-FIX: app::enqueue(pool, [i] { use(i); });
}

void futures_kept(app::Pool &pool, int n) {
  std::vector<std::future<void>> futs;
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that is passed to 'submit'
    // CHECK-NOTE@+2: passed to 'submit' here
    // CHECK-NOTE@+1: the task's result is stored in 'futs' here, beyond the iteration
    futs.push_back(pool.submit([&i] { use(i); }));
  // CHECK-FIX: futs.push_back(pool.submit([i] { use(i); }));
  for (auto &f : futs)
    f.wait();
}

void wrapped(app::Pool &pool, int n) {
  for (int i = 0; i < n; ++i) {
    // CHECK-WARN@+1: 'i' is captured by reference in a lambda that is passed to 'post'
    std::function<void()> job = [&i] { use(i); };
    // CHECK-FIX: std::function<void()> job = [i] { use(i); };
    pool.post(job); // CHECK-NOTE: passed to 'post' here
  }
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'post'
    // CHECK-NOTE@+1: passed to 'post' here
    pool.post(std::bind([&i](int k) { use(i + k); }, 3));
  // CHECK-FIX: pool.post(std::bind([i](int k) { use(i + k); }, 3));
  for (int i = 0; i < n; ++i) {
    // CHECK-WARN@+1: 'i' is captured by reference in a lambda that is passed to 'post'
    auto task = std::make_shared<std::packaged_task<void()>>([&i] { use(i); });
    // CHECK-FIX: auto task = std::make_shared<std::packaged_task<void()>>([i] { use(i); });
    pool.post([task] { (*task)(); }); // CHECK-NOTE: passed to 'post' here
  }
  for (int i = 0; i < n; ++i) {
    // CHECK-WARN@+1: 'i' is captured by reference in a lambda that is passed to 'post'
    std::packaged_task<void()> task([&i] { use(i); });
    // CHECK-FIX: std::packaged_task<void()> task([i] { use(i); });
    pool.post(std::move(task)); // CHECK-NOTE: passed to 'post' here
  }
}

// --- not flagged ---------------------------------------------------------------

void waited(app::Pool &pool, int n) {
  for (int i = 0; i < n; ++i)
    pool.submit([&i] { use(i); }).get();
  for (int i = 0; i < n; ++i) {
    auto f = pool.submit([&] { use(i); });
    f.wait();
  }
  for (int i = 0; i < n; ++i)
    app::run_here([&i] { use(i); }); // synchronous
  for (int k = 0; k < n; ++k) {
    int chunk = k * 64;
    std::vector<std::future<void>> futs;
    futs.push_back(pool.submit([&chunk] { use(chunk); }));
    futs.push_back(pool.submit([&chunk] { use(chunk + 1); }));
    for (auto &f : futs)
      f.wait();
  }
}

void drained_in_iteration(app::Pool &pool, int n) {
  for (int k = 0; k < n; ++k) {
    int chunk = k * 64;
    pool.detach_task([&chunk] { use(chunk); });
    pool.detach_task([&] { use(chunk + k); });
    pool.wait();
  }
}

void local_steps_submitted(app::Pool &pool, int n) {
  for (int k = 0; k < n; ++k) {
    std::vector<std::function<void()>> steps;
    // CHECK-WARN@+1: 'k' is captured by reference in a lambda that is passed to 'post'
    steps.push_back([&k] { use(k); });
    // CHECK-FIX: steps.push_back([k] { use(k); });
    for (auto &s : steps)
      pool.post(s); // CHECK-NOTE: passed to 'post' here
  }
}

void by_value_and_outer(app::Pool &pool, int n) {
  int total = 0;
  for (int i = 0; i < n; ++i)
    pool.submit([&total, i] { total += i; });
  for (int i = 0; i < n; ++i)
    pool.detach_task([=, &total] { total += i; });
}
