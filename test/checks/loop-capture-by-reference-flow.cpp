// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// The flow layer under pitfall-loop-capture-by-reference: helpers that run or
// store a callable (summaries), callables followed through variables and
// wrappers, templates, exceptional edges, what orders a task's end before
// the next iteration (happens-before), and correlated branches.
#include <barrier>
#include <condition_variable>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

void use(int);
void mayThrow();

namespace app {
class Pool {
public:
  std::future<void> submit(std::function<void()> f);
  void wait();
};
} // namespace app

// A free executor function without an executor object.
void schedule(std::function<void()> f);

// ------------------------------------------------ helpers (summaries)

// Helpers that run their callable on another thread, whatever their names.
void runDetached(std::function<void()> f) {
  std::thread(std::move(f)).detach();
}
void runDetachedTwoLevels(std::function<void()> f) {
  runDetached(std::move(f));
}
// Helpers that run it on the spot, or on a thread joined before returning.
void runNow(const std::function<void()> &f) { f(); }
void runAndJoin(std::function<void()> f) {
  std::thread t(std::move(f));
  t.join();
}

void helpers(int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'runDetached'; the loop variable is shared by all iterations
    // CHECK-NOTE@+1: passed to 'runDetached' here
    runDetached([&i] { use(i); });
  // CHECK-FIX: runDetached([i] { use(i); });
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'runDetachedTwoLevels'
    // CHECK-NOTE@+1: passed to 'runDetachedTwoLevels' here
    runDetachedTwoLevels([&i] { use(i); });
  // CHECK-FIX: runDetachedTwoLevels([i] { use(i); });
  for (int i = 0; i < n; ++i) {
    runNow([&i] { use(i); });
    runAndJoin([&i] { use(i); });
  }
}

// A project's own scheduler: commit() queues the job, the worker thread the
// class starts runs it.
class Scheduler {
public:
  Scheduler() : worker_([this] { loop(); }) {}
  void commit(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push(std::move(job));
  }

private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (jobs_.empty())
          continue;
        job = std::move(jobs_.front());
        jobs_.pop();
      }
      job();
    }
  }
  std::mutex mu_;
  std::queue<std::function<void()>> jobs_;
  std::thread worker_;
};

void committed(Scheduler &sched, int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'commit'; the loop variable is shared
    // CHECK-NOTE@+1: passed to 'commit' here
    sched.commit([&i] { use(i); });
  // CHECK-FIX: sched.commit([i] { use(i); });
}

// A helper that keeps the callable in its object.
class Registry {
public:
  void add(std::function<void()> f) { fns_.push_back(std::move(f)); }
  void runAll() {
    for (auto &f : fns_)
      f();
  }

private:
  std::vector<std::function<void()>> fns_;
};

void registered(Registry &reg, int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is stored in 'reg'; the loop variable is shared
    // CHECK-NOTE@+1: stored here
    reg.add([&i] { use(i); });
  // CHECK-FIX: reg.add([i] { use(i); });
  for (int i = 0; i < n; ++i) {
    Registry local;
    local.add([&i] { use(i); });
    local.runAll();
  }
}

// ------------------------------------------------ callables

void callables(int n) {
  // A std::function assigned, then run on a thread.
  for (int i = 0; i < n; ++i) {
    std::function<void()> job;
    job = [&i] { use(i); }; // CHECK-WARN: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-FIX: job = [i] { use(i); };
    std::thread(job).detach();
    // CHECK-NOTE@-1: thread started here
    // CHECK-NOTE@-2: the thread is detached here
  }
  // std::async with a stored callable, its future kept beyond the iteration.
  std::vector<std::future<void>> futs;
  for (int i = 0; i < n; ++i) {
    auto job = [&i] { use(i); }; // CHECK-WARN: 'i' is captured by reference in a lambda that runs through std::async
    // CHECK-FIX: auto job = [i] { use(i); };
    futs.push_back(std::async(std::launch::async, job));
    // CHECK-NOTE@-1: std::async called here
    // CHECK-NOTE@-2: the future is stored in 'futs' here, beyond the iteration
  }
  // Kept in a container of the iteration whose elements start threads.
  for (int k = 0; k < n; ++k) {
    std::vector<std::function<void()>> steps;
    steps.push_back([&k] { use(k); }); // CHECK-WARN: 'k' is captured by reference in a lambda that runs on a thread
    // CHECK-FIX: steps.push_back([k] { use(k); });
    for (auto &s : steps)
      std::thread(s).detach();
    // CHECK-NOTE@-1: thread started here
    // CHECK-NOTE@-2: the thread is detached here
  }
  // A packaged_task moved into a thread.
  for (int i = 0; i < n; ++i) {
    std::packaged_task<void()> task([&i] { use(i); }); // CHECK-WARN: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-FIX: std::packaged_task<void()> task([i] { use(i); });
    std::thread(std::move(task)).detach();
    // CHECK-NOTE@-1: thread started here
    // CHECK-NOTE@-2: the thread is detached here
  }

  // Not flagged: the future of the stored callable waits at the end of the
  // iteration; the thread is joined; the task runs on the spot.
  for (int i = 0; i < n; ++i) {
    auto job = [&i] { use(i); };
    auto fut = std::async(std::launch::async, job);
  }
  for (int i = 0; i < n; ++i) {
    std::function<void()> job = [&i] { use(i); };
    std::thread t(job);
    t.join();
  }
  for (int i = 0; i < n; ++i) {
    std::packaged_task<void()> task([&i] { use(i); });
    task();
  }
}

// ------------------------------------------------ templates

struct InlinePool {
  template <class F> void run(F &&f) { f(); }
};
struct DetachingPool {
  template <class F> void run(F &&f) {
    std::thread(std::forward<F>(f)).detach();
  }
};

// Instantiated with both pools: reported once, at the pattern.
template <class Pool> void fanOut(Pool &pool, int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'run'; the loop variable is shared
    // CHECK-NOTE@+1: passed to 'run' here
    pool.run([&i] { use(i); });
  // CHECK-FIX: pool.run([i] { use(i); });
}

// Instantiated with the pool that runs the job on the spot only.
template <class Pool> void fanOutInline(Pool &pool, int n) {
  for (int i = 0; i < n; ++i)
    pool.run([&i] { use(i); });
}

void useTemplates(InlinePool &a, DetachingPool &b) {
  fanOut(a, 3);
  fanOut(b, 3);
  fanOutInline(a, 3);
}

// A member of a class template, instantiated.
template <class T> struct Batch {
  std::vector<std::jthread> threads;
  void start(const std::vector<T> &items) {
    for (T item : items)
      // CHECK-WARN@+3: 'item' is captured by reference in a lambda that runs on a thread; it is destroyed at the end of the iteration
      // CHECK-NOTE@+2: thread started here
      // CHECK-NOTE@+1: the thread is stored in member 'threads' here
      threads.emplace_back([&item] { use(static_cast<int>(item)); });
    // CHECK-FIX: threads.emplace_back([item] { use(static_cast<int>(item)); });
  }
};

void useBatch(Batch<int> &b, const std::vector<int> &v) { b.start(v); }

// Never instantiated: analysed as written.
template <class T> void neverInstantiated(T) {
  for (int i = 0; i < 3; ++i)
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is detached here
    std::thread([&i] { use(i); }).detach();
  // CHECK-FIX: std::thread([i] { use(i); }).detach();
}

// ------------------------------------------------ exceptional edges

void exceptions(app::Pool &pool, int n) {
  // The handler swallows the exception and skips the wait: the next
  // iteration starts while the task runs.
  for (int i = 0; i < n; ++i) {
    try {
      // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'submit'
      // CHECK-NOTE@+1: passed to 'submit' here
      std::future<void> done = pool.submit([&i] { use(i); });
      // CHECK-FIX: std::future<void> done = pool.submit([i] { use(i); });
      mayThrow();
      done.wait();
    } catch (...) {
    }
  }
  // The handler lets the thread go.
  for (int i = 0; i < n; ++i) {
    std::thread t([&i] { use(i); }); // CHECK-WARN: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@-1: thread started here
    // CHECK-FIX: std::thread t([i] { use(i); });
    try {
      mayThrow();
    } catch (...) {
      t.detach(); // CHECK-NOTE: the thread is detached here, beyond the iteration
      continue;
    }
    t.join();
  }

  // Not flagged: the handlers wait; a joinable thread destroyed by an
  // exception terminates the program (pitfall-unjoined-thread's finding).
  for (int i = 0; i < n; ++i) {
    std::future<void> done = pool.submit([&i] { use(i); });
    try {
      mayThrow();
    } catch (...) {
      done.wait();
      throw;
    }
    done.wait();
  }
  for (int i = 0; i < n; ++i) {
    std::thread t([&i] { use(i); });
    try {
      mayThrow();
    } catch (...) {
      t.join();
      continue;
    }
    t.join();
  }
  for (int i = 0; i < n; ++i) {
    std::thread t([&i] { use(i); });
    mayThrow();
    t.join();
  }
}

// ------------------------------------------------ happens-before

struct WaitGroup {
  void add(int);
  void done();
  void wait();
};

class Event {
public:
  void set() {
    {
      std::lock_guard<std::mutex> lock(m_);
      on_ = true;
    }
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return on_; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  bool on_ = false;
};

// Not flagged: the iteration waits for what the task signals, or drains the
// executor, before it ends.
void orderedBeforeTheNextIteration(app::Pool &pool, int n) {
  for (int i = 0; i < n; ++i) {
    std::latch done(1);
    schedule([&] {
      use(i);
      done.count_down();
    });
    done.wait();
  }
  for (int i = 0; i < n; ++i) {
    WaitGroup wg;
    wg.add(1);
    schedule([&] {
      use(i);
      wg.done();
    });
    wg.wait();
  }
  for (int i = 0; i < n; ++i) {
    std::barrier sync(2);
    schedule([&] {
      use(i);
      sync.arrive_and_wait();
    });
    sync.arrive_and_wait();
  }
  for (int i = 0; i < n; ++i) {
    std::mutex m;
    std::condition_variable cv;
    bool finished = false;
    schedule([&] {
      use(i);
      std::lock_guard<std::mutex> lock(m);
      finished = true;
      cv.notify_one();
    });
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return finished; });
  }
  for (int i = 0; i < n; ++i) {
    Event ev;
    schedule([&] {
      use(i);
      ev.set();
    });
    ev.wait();
  }
  for (int i = 0; i < n; ++i) {
    std::promise<void> p;
    std::future<void> f = p.get_future();
    schedule([&] {
      use(i);
      p.set_value();
    });
    f.wait();
  }
  for (int i = 0; i < n; ++i) {
    pool.submit([&i] { use(i); });
    pool.wait();
  }
  for (int i = 0; i < n; ++i) {
    std::vector<std::future<void>> parts;
    parts.push_back(pool.submit([&i] { use(i); }));
    parts.push_back(pool.submit([&i] { use(-i); }));
    for (auto &p : parts)
      p.get();
  }
}

// Flagged: the wait comes after the loop, is for another object, or comes
// before the task is started.
void notOrdered(app::Pool &pool, int n) {
  std::latch all(n);
  for (int i = 0; i < n; ++i)
    schedule([&] { // CHECK-NOTE: passed to 'schedule' here
      use(i); // CHECK-WARN: 'i' is captured by reference in a lambda that is passed to 'schedule'
      all.count_down();
    });
  // CHECK-FIX@-4: schedule([&, i] {
  all.wait();

  std::latch mine(n), other(1);
  for (int i = 0; i < n; ++i) {
    schedule([&] { // CHECK-NOTE: passed to 'schedule' here
      use(i); // CHECK-WARN: 'i' is captured by reference in a lambda that is passed to 'schedule'
      mine.count_down();
    });
    // CHECK-FIX@-4: schedule([&, i] {
    other.wait();
  }

  Event ev;
  for (int i = 0; i < n; ++i) {
    ev.wait();
    schedule([&] { // CHECK-NOTE: passed to 'schedule' here
      use(i); // CHECK-WARN: 'i' is captured by reference in a lambda that is passed to 'schedule'
      ev.set();
    });
    // CHECK-FIX@-4: schedule([&, i] {
  }

  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'submit'
    // CHECK-NOTE@+1: passed to 'submit' here
    pool.submit([&i] { use(i); });
  // CHECK-FIX: pool.submit([i] { use(i); });
  pool.wait();
}

// ------------------------------------------------ correlated branches

void correlated(app::Pool &pool, int n, bool async) {
  // Submitted and waited for under the same condition.
  for (int i = 0; i < n; ++i) {
    std::future<void> f;
    if (async)
      f = pool.submit([&i] { use(i); });
    else
      use(i);
    if (async)
      f.wait();
  }
  // Waited for under another condition.
  for (int i = 0; i < n; ++i) {
    std::future<void> f;
    if (async)
      // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'submit'
      // CHECK-NOTE@+1: passed to 'submit' here
      f = pool.submit([&i] { use(i); });
    // CHECK-FIX: f = pool.submit([i] { use(i); });
    if (n > 100)
      f.wait();
  }
}
