// The flow layer under pitfall-unbalanced-latch: arrivals in helpers
// (summaries), workers behind callables, templates, exceptional edges and
// correlated branches. Each construct has a positive and a negative case.
// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <thread>
#include <vector>

bool failed(int i);
void work(int i);

// ------------------------------------------------ helpers (summaries)

void finish(std::latch &l) { l.count_down(); }
void finishTwice(std::latch &l) {
  l.count_down();
  l.count_down();
}

// The worker counts down through a helper, except on its early return.
void helperSkipped(int n) {
  std::latch done(n); // CHECK-NOTE: 'done' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      if (failed(i))
        return; // CHECK-WARN: worker returns without counting down latch 'done' on this path
      // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
      work(i);
      finish(done); // CHECK-NOTE: other paths count down here
    });
  done.wait();
}

// Every path counts down through the helper: balanced.
void helperEveryPath(int n) {
  std::latch all(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&all, i] {
      work(i);
      finish(all);
    });
  all.wait();
}

// A helper that counts down twice: the arrivals add up.
void helperCountsTwice() {
  std::latch done(2); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 4
  // CHECK-FIX: std::latch done(4); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 4
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&done] { finishTwice(done); }); // CHECK-NOTE: workers started here make 4 of the arrivals
  done.wait();
}
void helperCountsTwiceBalanced() {
  std::latch all(4);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&all] { finishTwice(all); });
  all.wait();
}

// The spawning thread arrives through a helper too.
void spawnerArrivesInHelper() {
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  std::jthread t([&done] { finish(done); }); // CHECK-NOTE: workers started here make 1 of the arrivals
  finish(done); // CHECK-NOTE: this thread makes 1 of the arrivals here
  done.wait();
}
void spawnerArrivesInHelperBalanced() {
  std::latch all(2);
  std::jthread t([&all] { finish(all); });
  finish(all);
  all.wait();
}

// A helper that counts down twice on one path.
void finishAgain(std::latch &l, bool again) {
  if (again)
    l.count_down();
}
void helperRepeats() {
  std::latch done(2); // CHECK-NOTE: 'done' declared here
  std::jthread t([&] {
    done.count_down(); // CHECK-NOTE: previous count down on the same path here
    finishAgain(done, failed(0)); // CHECK-WARN: worker counts down latch 'done' more than once on this path
  });
  std::jthread u([&] { done.count_down(); });
  done.wait();
}

// ------------------------------------------------ callables

// A worker held in a std::function and started three times.
void throughStdFunction() {
  std::latch done(2); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 3
  // CHECK-FIX: std::latch done(3); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 3
  std::function<void()> worker = [&done] { done.count_down(); };
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i)
    ts.emplace_back(worker); // CHECK-NOTE: workers started here make 3 of the arrivals
  done.wait();
  for (auto &t : ts)
    t.join();
}
void throughStdFunctionBalanced() {
  std::latch all(3);
  std::function<void()> worker = [&all] { all.count_down(); };
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i)
    ts.emplace_back(worker);
  all.wait();
  for (auto &t : ts)
    t.join();
}

// A std::packaged_task run on a thread.
void throughPackagedTask() {
  std::latch done(2); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 1
  // CHECK-FIX: std::latch done(1); // CHECK-WARN: latch 'done' expects 2 arrivals, but the code makes 1
  std::packaged_task<void()> task([&done] { done.count_down(); });
  std::future<void> f = task.get_future();
  std::thread t(std::move(task)); // CHECK-NOTE: workers started here make 1 of the arrivals
  done.wait();
  f.get();
  t.join();
}

// A member function bound to an object, with the latch passed by pointer.
class Worker {
public:
  void run(std::latch *l) {
    work(0);
    l->count_down();
  }
  void runChecked(std::latch *l) { // CHECK-NOTE: 'l' declared here
    if (failed(1))
      return; // CHECK-WARN: worker returns without counting down latch 'l' on this path
    // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
    l->count_down(); // CHECK-NOTE: other paths count down here
  }
};
void memberFunctionWorkers() {
  Worker w;
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  std::thread a(&Worker::run, &w, &done); // CHECK-NOTE: workers started here make 1 of the arrivals
  std::thread b(&Worker::run, &w, &done); // CHECK-NOTE: workers started here make 1 of the arrivals
  done.wait();
  a.join();
  b.join();
}
void memberFunctionWorkersBalanced() {
  Worker w;
  std::latch all(2);
  std::thread a(&Worker::run, &w, &all);
  std::thread b(&Worker::run, &w, &all);
  all.wait();
  a.join();
  b.join();
}
void checkedWorker() {
  Worker w;
  std::latch all(1);
  std::thread a(&Worker::runChecked, &w, &all);
  all.wait();
  a.join();
}

// std::async with a callable stored first.
void asyncStoredCallable() {
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  auto job = [&done] { done.count_down(); };
  auto f1 = std::async(std::launch::async, job); // CHECK-NOTE: workers started here make 1 of the arrivals
  auto f2 = std::async(std::launch::async, job); // CHECK-NOTE: workers started here make 1 of the arrivals
  done.wait();
}

// A project's own pool, recognised by what commit() does with its callable.
class Pool {
public:
  Pool() {
    for (int i = 0; i < 2; ++i)
      threads_.emplace_back([this] { loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto &t : threads_)
      t.join();
  }
  void commit(std::function<void()> f) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(f));
    }
    cv_.notify_one();
  }

private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        if (stop_)
          return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  bool stop_ = false;
};
void userPool(Pool &pool) {
  std::latch done(5); // CHECK-WARN: latch 'done' expects 5 arrivals, but the code makes 4
  // CHECK-FIX: std::latch done(4); // CHECK-WARN: latch 'done' expects 5 arrivals, but the code makes 4
  for (int i = 0; i < 4; ++i)
    pool.commit([&done, i] { // CHECK-NOTE: workers started here make 4 of the arrivals
      work(i);
      done.count_down();
    });
  done.wait();
}
void userPoolBalanced(Pool &pool) {
  std::latch all(4);
  for (int i = 0; i < 4; ++i)
    pool.commit([&all, i] {
      work(i);
      all.count_down();
    });
  all.wait();
}

// ------------------------------------------------ templates

// Instantiated twice, reported once, at the pattern.
template <class T> void twoWorkers() {
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&done] { // CHECK-NOTE: workers started here make 2 of the arrivals
      work(sizeof(T));
      done.count_down();
    });
  done.wait();
}
template <class T> void twoWorkersBalanced() {
  std::latch all(2);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&all] {
      work(sizeof(T));
      all.count_down();
    });
  all.wait();
}
void instantiate() {
  twoWorkers<int>();
  twoWorkers<long>();
  twoWorkersBalanced<int>();
}

// A worker path in a class template's member, instantiated.
template <class T> struct Stage {
  void run(std::latch &done) { // CHECK-NOTE: 'done' declared here
    std::jthread t([&done] {
      if (failed(sizeof(T)))
        return; // CHECK-WARN: worker returns without counting down latch 'done' on this path
      // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
      done.count_down(); // CHECK-NOTE: other paths count down here
    });
  }
};
void runStage(std::latch &done) { Stage<int>().run(done); }

// A template never instantiated is analysed as written.
template <class T>
int patternKeepsSemaphore(std::binary_semaphore &gate, T x) { // CHECK-NOTE: 'gate' declared here
  gate.acquire(); // CHECK-NOTE: 'gate' acquired here
  if (x < 0)
    return -1; // CHECK-WARN: function returns without releasing semaphore 'gate' on this path
  // CHECK-NOTE@-1: release from a scope guard (a local object whose destructor calls release()) so that every path releases
  gate.release();
  return 0;
}
template <class T>
int patternReleasesSemaphore(std::binary_semaphore &gate, T x) {
  gate.acquire();
  if (x < 0) {
    gate.release();
    return -1;
  }
  gate.release();
  return 0;
}

// ------------------------------------------------ exceptional edges

// A handler that swallows the exception and returns before counting down.
void handlerReturns(int n) {
  std::latch done(n); // CHECK-NOTE: 'done' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      try {
        work(i);
      } catch (...) {
        return; // CHECK-WARN: worker returns without counting down latch 'done' on this path
        // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
      }
      done.count_down(); // CHECK-NOTE: other paths count down here
    });
  done.wait();
}
void handlerCountsDown(int n) {
  std::latch all(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&all, i] {
      try {
        work(i);
      } catch (...) {
        all.count_down();
        return;
      }
      all.count_down();
    });
  all.wait();
}

// A helper of this translation unit that throws: its exception leaves the
// worker before the count-down. (Calls whose bodies are not visible, like
// work(), are not reported: every call could throw.)
void validate(int i) {
  if (i < 0)
    throw std::invalid_argument("negative");
}
void throwingHelper(int n) {
  std::latch done(n); // CHECK-NOTE: 'done' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      validate(i); // CHECK-WARN: an exception from this call leaves the worker without counting down latch 'done' on this path
      // CHECK-NOTE@-1: count down from a scope guard (a local object whose destructor does it) so that every path does
      done.count_down(); // CHECK-NOTE: other paths count down here
    });
  done.wait();
}

// The same for a semaphore: the exception leaves with the permit held,
// unless a handler gives it back.
int throwingHelperKeepsSemaphore(std::counting_semaphore<4> &sem, int x) { // CHECK-NOTE: 'sem' declared here
  sem.acquire(); // CHECK-NOTE: 'sem' acquired here
  validate(x); // CHECK-WARN: an exception from this call leaves the function without releasing semaphore 'sem' on this path
  // CHECK-NOTE@-1: release from a scope guard (a local object whose destructor calls release()) so that every path releases
  sem.release();
  return 0;
}
int throwingHelperReleasesSemaphore(std::counting_semaphore<4> &sem, int x) {
  sem.acquire();
  try {
    validate(x);
  } catch (...) {
    sem.release();
    throw;
  }
  sem.release();
  return 0;
}

// A scope guard counts down when the exception unwinds the worker.
struct CountDownGuard {
  std::latch &l;
  ~CountDownGuard() { l.count_down(); }
};
void throwingHelperGuarded(int n) {
  std::latch all(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&all, i] {
      CountDownGuard g{all};
      validate(i);
      if (failed(i))
        throw std::runtime_error("failed");
    });
  all.wait();
}

// A semaphore held when a handler returns.
int handlerKeepsSemaphore(std::counting_semaphore<4> &sem, int x) { // CHECK-NOTE: 'sem' declared here
  sem.acquire(); // CHECK-NOTE: 'sem' acquired here
  try {
    work(x);
  } catch (...) {
    return -1; // CHECK-WARN: function returns without releasing semaphore 'sem' on this path
    // CHECK-NOTE@-1: release from a scope guard (a local object whose destructor calls release()) so that every path releases
  }
  sem.release();
  return 0;
}
int handlerReleasesSemaphore(std::counting_semaphore<4> &sem, int x) {
  sem.acquire();
  try {
    work(x);
  } catch (...) {
    sem.release();
    return -1;
  }
  sem.release();
  return 0;
}

// ------------------------------------------------ correlated branches

// Counted down early on one path, late on the other, under one unchanged
// condition: once on every path.
void earlyOrLate(bool early) {
  std::latch done(1);
  std::jthread t([&done, early] {
    if (early)
      done.count_down();
    work(0);
    if (!early)
      done.count_down();
  });
  done.wait();
}
// Counted down early on one path, and then again on every path.
void earlyAndLate(bool early) {
  std::latch done(1); // CHECK-NOTE: 'done' declared here
  std::jthread t([&done, early] {
    if (early)
      done.count_down(); // CHECK-NOTE: previous count down on the same path here
    work(0);
    done.count_down(); // CHECK-WARN: worker counts down latch 'done' more than once on this path
  });
  done.wait();
}
