// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A pool of the project drained by a wait on an object its workers signal
// once the in-flight count the submit increments has come back to zero
// (std::atomic wait/notify, a condition variable with a predicate): a task
// submitted and then drained in the same iteration has run when the
// iteration ends.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

// The worker runs the task, then decrements the count and signals `done_`
// when it reaches zero; wait_for_tasks() waits on `done_` while tasks are in
// flight.
class AtomicPool {
public:
  explicit AtomicPool(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      threads_.emplace_back([this](std::stop_token st) {
        while (!st.stop_requested()) {
          std::function<void()> task;
          {
            std::lock_guard<std::mutex> g(m_);
            if (tasks_.empty())
              continue;
            task = std::move(tasks_.front());
            tasks_.pop_front();
          }
          task();
          if (in_flight_.fetch_sub(1) == 1) {
            done_.store(true);
            done_.notify_one();
          }
        }
      });
  }
  void enqueue_detach(std::function<void()> f) {
    in_flight_.fetch_add(1);
    done_.store(false);
    std::lock_guard<std::mutex> g(m_);
    tasks_.push_back(std::move(f));
  }
  void wait_for_tasks() {
    while (in_flight_.load() > 0)
      done_.wait(false);
  }

private:
  std::mutex m_;
  std::deque<std::function<void()>> tasks_;
  std::atomic_int in_flight_{0};
  std::atomic_bool done_{false};
  std::vector<std::jthread> threads_;
};

int drained_by_atomic_wait(AtomicPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    std::atomic_int counter{0};
    for (int j = 0; j < 12; j++)
      pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    pool.wait_for_tasks();
    total += counter.load();
  }
  return total;
}

int drained_once(AtomicPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    std::atomic_int counter{0};
    pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    pool.wait_for_tasks();
    total += counter.load();
  }
  return total;
}

int waited_before_the_submit(AtomicPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    // CHECK-NOTE@+1: 'counter' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic_int counter{0};
    pool.wait_for_tasks();
    // CHECK-WARN@+2:27: 'counter' is captured by reference in a lambda that is passed to 'enqueue_detach'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue_detach' here
    pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    total += counter.load();
  }
  return total;
}

int not_drained(AtomicPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    // CHECK-NOTE@+1: 'counter' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic_int counter{0};
    // CHECK-WARN@+2:27: 'counter' is captured by reference in a lambda that is passed to 'enqueue_detach'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue_detach' here
    pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    total += counter.load();
  }
  return total;
}

// The same with a condition variable and a predicate on the count.
class CondVarPool {
public:
  CondVarPool() {
    worker_ = std::jthread([this](std::stop_token st) {
      while (!st.stop_requested()) {
        std::function<void()> task;
        {
          std::unique_lock<std::mutex> lock(m_);
          if (tasks_.empty())
            continue;
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        task();
        std::lock_guard<std::mutex> g(m_);
        if (--pending_ == 0)
          idle_.notify_all();
      }
    });
  }
  void submit_detached(std::function<void()> f) {
    std::lock_guard<std::mutex> g(m_);
    ++pending_;
    tasks_.push_back(std::move(f));
  }
  void drain() {
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [this] { return pending_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;
  int pending_ = 0;
  std::jthread worker_;
};

int drained_by_condition_variable(CondVarPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    int part = 0;
    pool.submit_detached([&part] { part = 1; });
    pool.drain();
    total += part;
  }
  return total;
}

// The worker signals before it runs the task: the waiter may wake while the
// task still runs.
class EarlySignalPool {
public:
  EarlySignalPool() {
    worker_ = std::jthread([this](std::stop_token st) {
      while (!st.stop_requested()) {
        std::function<void()> task;
        {
          std::lock_guard<std::mutex> g(m_);
          if (tasks_.empty())
            continue;
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        if (in_flight_.fetch_sub(1) == 1) {
          done_.store(true);
          done_.notify_one();
        }
        task();
      }
    });
  }
  void enqueue_detach(std::function<void()> f) {
    in_flight_.fetch_add(1);
    done_.store(false);
    std::lock_guard<std::mutex> g(m_);
    tasks_.push_back(std::move(f));
  }
  void wait_for_tasks() {
    while (in_flight_.load() > 0)
      done_.wait(false);
  }

private:
  std::mutex m_;
  std::deque<std::function<void()>> tasks_;
  std::atomic_int in_flight_{0};
  std::atomic_bool done_{false};
  std::jthread worker_;
};

int signalled_before_the_task(EarlySignalPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    // CHECK-NOTE@+1: 'counter' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic_int counter{0};
    // CHECK-WARN@+2:27: 'counter' is captured by reference in a lambda that is passed to 'enqueue_detach'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue_detach' here
    pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    pool.wait_for_tasks();
    total += counter.load();
  }
  return total;
}

// The workers signal `idle_` after a task; wait_for_tasks() waits on
// `stopped_`, which only stop() signals.
class WrongObjectPool {
public:
  WrongObjectPool() {
    worker_ = std::jthread([this](std::stop_token st) {
      while (!st.stop_requested()) {
        std::function<void()> task;
        {
          std::lock_guard<std::mutex> g(m_);
          if (tasks_.empty())
            continue;
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        task();
        if (in_flight_.fetch_sub(1) == 1) {
          idle_.store(true);
          idle_.notify_one();
        }
      }
    });
  }
  void enqueue_detach(std::function<void()> f) {
    in_flight_.fetch_add(1);
    std::lock_guard<std::mutex> g(m_);
    tasks_.push_back(std::move(f));
  }
  void wait_for_tasks() {
    if (in_flight_.load() > 0)
      stopped_.wait(false);
  }
  void stop() {
    stopped_.store(true);
    stopped_.notify_all();
  }

private:
  std::mutex m_;
  std::deque<std::function<void()>> tasks_;
  std::atomic_int in_flight_{0};
  std::atomic_bool idle_{false}, stopped_{false};
  std::jthread worker_;
};

int waits_on_what_no_task_signals(WrongObjectPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    // CHECK-NOTE@+1: 'counter' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic_int counter{0};
    // CHECK-WARN@+2:27: 'counter' is captured by reference in a lambda that is passed to 'enqueue_detach'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue_detach' here
    pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    pool.wait_for_tasks();
    total += counter.load();
  }
  return total;
}

// The workers signal after every task, with no count of the tasks in
// flight: the waiter wakes after the first of several tasks.
class UncountedPool {
public:
  UncountedPool() {
    worker_ = std::jthread([this](std::stop_token st) {
      while (!st.stop_requested()) {
        std::function<void()> task;
        {
          std::lock_guard<std::mutex> g(m_);
          if (tasks_.empty())
            continue;
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        task();
        ran_.store(true);
        ran_.notify_one();
      }
    });
  }
  void enqueue_detach(std::function<void()> f) {
    ran_.store(false);
    std::lock_guard<std::mutex> g(m_);
    tasks_.push_back(std::move(f));
  }
  void wait_for_tasks() { ran_.wait(false); }

private:
  std::mutex m_;
  std::deque<std::function<void()>> tasks_;
  std::atomic_bool ran_{false};
  std::jthread worker_;
};

int signalled_without_a_count(UncountedPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    // CHECK-NOTE@+1: 'counter' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    std::atomic_int counter{0};
    for (int j = 0; j < 12; j++)
      // CHECK-WARN@+2:29: 'counter' is captured by reference in a lambda that is passed to 'enqueue_detach'; it is destroyed at the end of the iteration (dangling reference)
      // CHECK-NOTE@+1: passed to 'enqueue_detach' here
      pool.enqueue_detach([&counter] { counter.fetch_add(1); });
    pool.wait_for_tasks();
    total += counter.load();
  }
  return total;
}

// The workers count the tasks they run themselves: under the queue's lock a
// worker takes a task and raises the count before it releases the lock, and
// brings the count down under the lock when it comes back for the next one
// (at the top of its loop), signalling once it is zero; the drain waits for
// the count to be zero and the queue empty (BS::thread_pool's `wait()`).
// A task submitted before the drain is either queued or counted until it
// has run. (`put_job` is no EscapeFunctions name: the pool is recognised by
// what it does; its wait() waits on a member, as a drain.)
class WorkerCountedPool {
public:
  explicit WorkerCountedPool(unsigned n) {
    running_ = n;
    for (unsigned i = 0; i < n; ++i)
      threads_.emplace_back([this] { worker(); });
  }
  template <typename F> void put_job(F &&task) {
    {
      std::scoped_lock lock(m_);
      tasks_.emplace_back(std::forward<F>(task));
    }
    available_.notify_one();
  }
  void wait() {
    std::unique_lock lock(m_);
    waiting_ = true;
    done_.wait(lock, [this] { return running_ == 0 && tasks_.empty(); });
    waiting_ = false;
  }

private:
  std::function<void()> pop() {
    std::function<void()> t = std::move(tasks_.front());
    tasks_.pop_front();
    return t;
  }
  void worker() {
    while (true) {
      std::unique_lock lock(m_);
      --running_;
      if (waiting_ && running_ == 0 && tasks_.empty())
        done_.notify_all();
      available_.wait(lock, [this] { return !tasks_.empty() || stop_; });
      if (stop_)
        break;
      {
        std::function<void()> task = pop();
        ++running_;
        lock.unlock();
        task();
      }
    }
  }
  std::mutex m_;
  std::condition_variable available_, done_;
  std::deque<std::function<void()>> tasks_;
  std::size_t running_ = 0;
  bool waiting_ = false, stop_ = false;
  std::vector<std::jthread> threads_;
};

int drained_by_worker_count(WorkerCountedPool &pool) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    std::vector<int> ids(4);
    for (int &id : ids)
      pool.put_job([&id] { id = 1; });
    pool.wait();
    for (int id : ids)
      total += id;
  }
  return total;
}

// The same pool's submit under an EscapeFunctions name (BS::thread_pool's
// `detach_task`), the tasks capturing the elements of a vector of the
// function: drained before the vector is destroyed. (Only if the submit's
// allocation throws could the vector be destroyed while a task runs: an
// exception leaving the function is not followed.)
struct NamedPool {
  template <typename F> void detach_task(F &&task) { pool.put_job(task); }
  void wait() { pool.wait(); }
  WorkerCountedPool pool{4};
};
std::vector<int> collect_ids(NamedPool &pool) {
  std::vector<int> ids(8);
  for (int &id : ids)
    pool.detach_task([&id] { id = 1; });
  pool.wait();
  return ids;
}

// Still reported: no drain before the vector is destroyed.
std::vector<int> collect_ids_undrained(NamedPool &pool) {
  // CHECK-NOTE@+1: 'ids' is destroyed at the end of its scope, and the task is not waited for before
  std::vector<int> ids(8);
  for (int &id : ids)
    // CHECK-WARN@+2:24: 'id' refers to an element of 'ids' and is captured by reference in a lambda that is passed to 'detach_task'; 'ids' is destroyed while the lambda may still run (dangling reference)
    // CHECK-NOTE@+1: passed to 'detach_task' here
    pool.detach_task([&id] { id = 1; });
  return ids;
}
