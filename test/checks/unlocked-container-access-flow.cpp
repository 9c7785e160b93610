// The flow layer under pitfall-unlocked-container-access: accesses and locks
// in helpers (summaries), thread entries behind callables, templates,
// exceptional edges, happens-before (join, futures, latches, WaitGroups,
// barriers, condition variables, events, drained executors) and correlated
// branches. Each construct has a positive and a negative case.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
#include <barrier>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

void work();
void mayThrow();

// ------------------------------------------------ helpers (summaries)

void append(std::vector<int> &v, int x) {
  v.push_back(x); // CHECK-NOTE: conflicting modification on another thread
}
void appendTwice(std::vector<int> &v) { append(v, 2); }
std::size_t countOf(const std::vector<int> &v) { return v.size(); }

// The thread writes through a helper; the spawner writes directly.
void writesThroughHelper() {
  std::vector<int> v;
  std::thread t([&v] { append(v, 1); });
  v.push_back(3); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  t.join();
}

// Two levels of helpers on the spawner's side; the thread only reads through
// a helper that takes a const reference.
void appendOne(std::vector<int> &v) {
  v.push_back(1); // CHECK-WARN: container 'v' is modified without a lock while another thread reads it
}
void appendTwo(std::vector<int> &v) { appendOne(v); }
std::size_t sizeOf(const std::vector<int> &v) {
  return v.size(); // CHECK-NOTE: conflicting read on another thread
}
void readsThroughHelper() {
  std::vector<int> v;
  std::thread t([&v] { (void)sizeOf(v); });
  appendTwo(v);
  t.join();
}

// Both sides read through helpers: read-only sharing.
void helpersOnlyRead() {
  std::vector<int> v{1, 2};
  std::thread t([&v] { (void)countOf(v); });
  (void)countOf(v);
  t.join();
}

// A helper that takes the lock itself protects both sides.
std::mutex g_mu;
void appendLocked(std::vector<int> &v, int x) {
  std::lock_guard<std::mutex> lock(g_mu);
  v.push_back(x);
}
void helperTakesTheLock() {
  std::vector<int> v;
  std::thread t([&v] { appendLocked(v, 1); });
  appendLocked(v, 2);
  t.join();
}

// A helper called with the caller's lock held runs under it.
std::vector<int> g_items;
void addItem() { g_items.push_back(1); }
void callerHoldsTheLock() {
  std::thread t([] {
    std::lock_guard<std::mutex> lock(g_mu);
    addItem();
  });
  {
    std::lock_guard<std::mutex> lock(g_mu);
    addItem();
  }
  t.join();
}

std::vector<int> g_events;
void addEvent() {
  g_events.push_back(1); // CHECK-WARN: container 'g_events' is modified without holding 'g_mu' while another thread modifies it
}
void callerForgetsTheLock() {
  std::thread t([] {
    std::lock_guard<std::mutex> lock(g_mu);
    addEvent(); // CHECK-NOTE: conflicting modification on another thread under 'g_mu'
  });
  addEvent();
  t.join();
}

// A project's own lock wrapper and RAII guard, recognised by what their
// members do (not listed in LockTypes).
class SpinLock {
public:
  void acquire() { m_.lock(); }
  void release() { m_.unlock(); }

private:
  std::mutex m_;
};

class Hold {
public:
  explicit Hold(std::mutex &m) : m_(m) { m_.lock(); }
  ~Hold() { m_.unlock(); }

private:
  std::mutex &m_;
};

class Registry {
public:
  void put(int k) {
    Hold h(mu_);
    names_[k] = 1; // CHECK-NOTE: 'names_' is modified under 'mu_' here
  }
  int count() {
    Hold h(mu_);
    return static_cast<int>(names_.size());
  }
  void forget(int k) {
    // CHECK-WARN@+2: container 'names_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    names_.erase(k);
    // CHECK-FIX: std::scoped_lock lock(mu_); names_.erase(k);
  }
  void push(int v) {
    lock_.acquire();
    queue_.push_back(v); // CHECK-NOTE: 'queue_' is modified under 'm_' here
    lock_.release();
  }
  void pop() {
    lock_.acquire();
    queue_.pop_front();
    lock_.release();
  }
  void clear() {
    queue_.clear(); // CHECK-WARN: container 'queue_' is modified without holding 'm_', which guards its other accesses
  }

private:
  std::mutex mu_;
  std::map<int, int> names_;
  SpinLock lock_;
  std::deque<int> queue_;
};

// A helper that runs its callable under the lock: the callable's accesses
// hold it.
class Locked {
public:
  void add(int v) {
    withLock([&] { items_.push_back(v); }); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void clear() {
    withLock([&] { items_.clear(); });
  }
  void drop() {
    // CHECK-WARN@+2: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    items_.pop_back();
    // CHECK-FIX: std::scoped_lock lock(mu_); items_.pop_back();
  }

private:
  template <class F> void withLock(F &&f) {
    std::lock_guard<std::mutex> g(mu_);
    f();
  }
  std::mutex mu_;
  std::vector<int> items_;
};

// std::try_to_lock and try_lock(): held on the branch that tested true.
class TryLocked {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void tryPut(int v) {
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (lock.owns_lock())
      items_.push_back(v);
    else
      items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
  }
  bool tryPop() {
    if (!mu_.try_lock())
      return false;
    items_.pop_back();
    mu_.unlock();
    return true;
  }

private:
  std::mutex mu_;
  std::vector<int> items_;
};

// Every access under the project's guard: nothing to report.
class Guarded {
public:
  void put(int k) {
    Hold h(mu_);
    m_[k] = 1;
  }
  void forget(int k) {
    Hold h(mu_);
    m_.erase(k);
  }

private:
  std::mutex mu_;
  std::map<int, int> m_;
};

// ------------------------------------------------ callables

// A member function bound to `this`.
class Collector {
public:
  void start() {
    std::thread t(&Collector::run, this);
    items_.push_back(2); // CHECK-WARN: container 'items_' is modified without a lock while another thread modifies it
    t.join();
  }
  void startThenJoin() {
    std::thread t(&Collector::run, this);
    t.join();
    items_.push_back(2);
  }

private:
  void run() {
    items_.push_back(1); // CHECK-NOTE: conflicting modification on another thread
  }
  std::vector<int> items_;
};

// std::function held in a variable.
void throughStdFunction() {
  std::vector<int> v;
  std::function<void()> task = [&v] { v.push_back(1); }; // CHECK-NOTE: conflicting modification on another thread
  std::thread t(task);
  v.push_back(2); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  t.join();
}

// std::packaged_task: concurrent until its future is ready.
void throughPackagedTask() {
  std::map<int, int> m;
  std::packaged_task<void()> pt([&m] { m[1] = 1; }); // CHECK-NOTE: conflicting modification on another thread
  std::future<void> f = pt.get_future();
  std::thread t(std::move(pt));
  m.erase(2); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  f.get();
  m.clear();
  t.join();
}

// std::async with a callable stored first.
void asyncStoredCallable() {
  std::vector<int> v;
  auto job = [&v] { v.push_back(1); }; // CHECK-NOTE: conflicting modification on another thread
  auto f = std::async(std::launch::async, job);
  v.push_back(2); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  f.wait();
  v.clear();
}

// A function given its container by std::ref.
void fill(std::vector<int> &v) {
  v.push_back(1); // CHECK-NOTE: conflicting modification on another thread
}
void byStdRef() {
  std::vector<int> v;
  std::thread t(fill, std::ref(v));
  v.push_back(2); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  t.join();
}
void byStdRefJoinedFirst() {
  std::vector<int> v;
  std::thread t(fill, std::ref(v));
  t.join();
  v.push_back(2);
}

// A project's own pool, recognised by what commit() does with its callable
// (it queues it for the pool's threads), and drained by wait_idle().
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
      ++pending_;
    }
    cv_.notify_one();
  }
  void wait_idle() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [this] { return pending_ == 0; });
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
      std::lock_guard<std::mutex> lock(mu_);
      if (--pending_ == 0)
        idle_.notify_all();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_, idle_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  int pending_ = 0;
  bool stop_ = false;
};

void userPool(Pool &pool) {
  std::vector<int> v;
  pool.commit([&v] { v.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  v.push_back(2); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  pool.wait_idle();
}
void userPoolDrained(Pool &pool) {
  std::vector<int> v;
  pool.commit([&v] { v.push_back(1); });
  pool.wait_idle();
  v.push_back(2);
}

// ------------------------------------------------ templates

// Instantiated twice, reported once, at the pattern.
template <class T> void fillBoth() {
  std::vector<T> v;
  std::thread t([&v] { v.push_back(T{}); }); // CHECK-NOTE: conflicting modification on another thread
  v.push_back(T{}); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  t.join();
}
template <class T> void fillJoined() {
  std::vector<T> v;
  std::thread t([&v] { v.push_back(T{}); });
  t.join();
  v.push_back(T{});
}
void instantiate() {
  fillBoth<int>();
  fillBoth<long>();
  fillJoined<int>();
}

// A class template: the member rule across its instantiated members and the
// ones never instantiated.
template <class T> class Cache {
public:
  void put(const T &k) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[k] = 1; // CHECK-NOTE: 'entries_' is modified under 'mu_' here
  }
  int get(const T &k) {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.count(k) ? entries_[k] : 0;
  }
  void reset() {
    // CHECK-WARN@+2: container 'entries_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    entries_.clear();
    // CHECK-FIX: std::scoped_lock lock(mu_); entries_.clear();
  }

private:
  std::mutex mu_;
  std::map<T, int> entries_;
};
int useCache() {
  Cache<int> c;
  c.put(1);
  return c.get(1);
}

template <class T> class SafeCache {
public:
  void put(const T &k) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[k] = 1;
  }
  void reset() {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.clear();
  }

private:
  std::mutex mu_;
  std::map<T, int> entries_;
};
void useSafeCache() {
  SafeCache<int> c;
  c.put(1);
}

// A class template never instantiated is analysed as written.
template <class T> class Unused {
public:
  void put(const T &k) {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.insert(k); // CHECK-NOTE: 'entries_' is modified under 'mu_' here
  }
  bool has(const T &k) {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_.count(k) != 0;
  }
  void drop(const T &k) {
    // CHECK-WARN@+2: container 'entries_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    entries_.erase(k);
    // CHECK-FIX: std::scoped_lock lock(mu_); entries_.erase(k);
  }

private:
  std::mutex mu_;
  std::set<T> entries_;
};

// ------------------------------------------------ exceptional edges

// The handler runs while the thread may still be running.
void handlerTouchesWhileRunning() {
  std::vector<int> v;
  std::thread t([&v] { v.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  try {
    mayThrow();
  } catch (...) {
    v.clear(); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
    t.join();
    throw;
  }
  t.join();
  v.clear();
}

void handlerJoinsFirst() {
  std::vector<int> v;
  std::thread t([&v] { v.push_back(1); });
  try {
    mayThrow();
  } catch (...) {
    t.join();
    v.clear();
    throw;
  }
  t.join();
  v.clear();
}

// A guard unwound by an exception releases its lock in the handler.
class Journal {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(v); // CHECK-NOTE: 'lines_' is modified under 'mu_' here
  }
  void addOrReset(int v) {
    try {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(v);
      mayThrow();
    } catch (...) {
      lines_.clear(); // CHECK-WARN: container 'lines_' is modified without holding 'mu_', which guards its other accesses
    }
  }
  void addOrResetLocked(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      lines_.push_back(v);
      mayThrow();
    } catch (...) {
      lines_.clear();
    }
  }

private:
  std::mutex mu_;
  std::vector<int> lines_;
};

// ------------------------------------------------ happens-before

// A latch the thread counts down after its write.
void latchAfterWrite() {
  std::vector<int> v;
  std::latch done(1);
  std::thread t([&] {
    v.push_back(1);
    done.count_down();
  });
  done.wait();
  v.push_back(2);
  t.join();
}

// Counted down before the write: the wait orders nothing.
void latchBeforeWrite() {
  std::vector<int> v;
  std::latch done(1);
  std::thread t([&] {
    done.count_down();
    v.push_back(1); // CHECK-NOTE: conflicting modification on another thread
  });
  done.wait();
  v.push_back(2); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  t.join();
}

// A WaitGroup (Go's sync.WaitGroup) with done() after the work.
class WaitGroup {
public:
  void add(int n) {
    std::lock_guard<std::mutex> lock(m_);
    count_ += n;
  }
  void done() {
    std::lock_guard<std::mutex> lock(m_);
    if (--count_ == 0)
      cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int count_ = 0;
};
void waitGroupOrders() {
  std::map<int, int> m;
  WaitGroup wg;
  wg.add(1);
  std::thread t([&] {
    m[1] = 1;
    wg.done();
  });
  t.detach();
  wg.wait();
  m.clear();
}
void waitGroupTooEarly() {
  std::map<int, int> m;
  WaitGroup wg;
  wg.add(1);
  std::thread t([&] {
    m[1] = 1; // CHECK-NOTE: conflicting modification on another thread
    wg.done();
  });
  t.detach();
  m.clear(); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  wg.wait();
}

// Two threads ordered by a barrier phase.
void barrierPhases() {
  std::vector<int> v;
  std::barrier sync(2);
  std::thread a([&] {
    v.push_back(1);
    sync.arrive_and_wait();
  });
  std::thread b([&] {
    sync.arrive_and_wait();
    v.clear();
  });
  a.join();
  b.join();
}
void barrierSamePhase() {
  std::vector<int> v;
  std::barrier sync(2);
  std::thread a([&] {
    sync.arrive_and_wait();
    v.push_back(1); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  });
  std::thread b([&] {
    sync.arrive_and_wait();
    v.clear(); // CHECK-NOTE: conflicting modification on another thread
  });
  a.join();
  b.join();
}

// Condition-variable handoff: the spawner fills, then signals; the thread
// waits, then reads.
void conditionHandoff() {
  std::vector<int> q;
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread t([&] {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return ready; });
    }
    (void)q.size();
  });
  q.push_back(1);
  {
    std::lock_guard<std::mutex> lock(mu);
    ready = true;
  }
  cv.notify_one();
  t.join();
}
void conditionHandoffTooLate() {
  std::vector<int> q;
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  std::thread t([&] {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return ready; });
    }
    (void)q.size(); // CHECK-NOTE: conflicting read on another thread
  });
  {
    std::lock_guard<std::mutex> lock(mu);
    ready = true;
  }
  cv.notify_one();
  q.push_back(1); // CHECK-WARN: container 'q' is modified without a lock while another thread reads it
  t.join();
}

// An event (promise / future) between two threads.
void eventBetweenThreads() {
  std::vector<int> v;
  std::promise<void> p;
  std::future<void> f = p.get_future();
  std::thread a([&] {
    v.push_back(1);
    p.set_value();
  });
  std::thread b([&] {
    f.wait();
    v.clear();
  });
  a.join();
  b.join();
}
void eventWaitedAfterTheWrite() {
  std::vector<int> v;
  std::promise<void> p;
  std::future<void> f = p.get_future();
  std::thread a([&] {
    v.push_back(1); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
    p.set_value();
  });
  std::thread b([&] {
    v.clear(); // CHECK-NOTE: conflicting modification on another thread
    f.wait();
  });
  a.join();
  b.join();
}

// The futures of a container, each waited for in a loop.
int compute(int);
void futuresWaitedInLoop(const std::vector<int> &in) {
  std::vector<int> out;
  std::mutex m;
  std::vector<std::future<void>> fs;
  for (int x : in)
    fs.push_back(std::async(std::launch::async, [&, x] {
      int r = compute(x);
      std::lock_guard<std::mutex> g(m);
      out.push_back(r);
    }));
  for (auto &f : fs)
    f.get();
  out.clear();
}
void futuresNotYetWaited(const std::vector<int> &in) {
  std::vector<int> out;
  std::mutex m;
  std::vector<std::future<void>> fs;
  for (int x : in)
    fs.push_back(std::async(std::launch::async, [&, x] {
      int r = compute(x);
      std::lock_guard<std::mutex> g(m);
      out.push_back(r); // CHECK-NOTE: conflicting modification on another thread under 'm'
    }));
  // CHECK-WARN@+2: container 'out' is modified without holding 'm' while another thread modifies it
  // CHECK-NOTE@+1: hold 'm' for this statement
  out.clear();
  // CHECK-FIX: { std::scoped_lock lock(m); out.clear(); }
  for (auto &f : fs)
    f.get();
}

// A logger's worker thread, started by its constructor, and the methods
// that feed it: every access of the queue holds the mutex.
class Logger {
public:
  Logger() : t_([this] { run(); }) {}
  ~Logger() {
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    t_.join();
  }
  void log(int line) {
    {
      std::lock_guard<std::mutex> l(mu_);
      q_.push_back(line);
    }
    cv_.notify_one();
  }

private:
  void run() {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      cv_.wait(l, [this] { return stop_ || !q_.empty(); });
      if (stop_ && q_.empty())
        return;
      int line = q_.front();
      q_.pop_front();
      l.unlock();
      (void)line;
      l.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> q_;
  bool stop_ = false;
  std::thread t_;
};

// ------------------------------------------------ correlated branches

// Started and joined under the same unchanged condition.
void correlatedJoin(int n) {
  std::vector<int> v;
  const bool parallel = n > 1;
  std::thread t;
  if (parallel)
    t = std::thread([&v] { v.push_back(1); });
  work();
  if (parallel)
    t.join();
  v.clear();
}
void uncorrelatedJoin(int n, bool join) {
  std::vector<int> v;
  const bool parallel = n > 1;
  std::thread t;
  if (parallel)
    t = std::thread([&v] { v.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  work();
  if (join)
    t.join();
  v.clear(); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  if (t.joinable())
    t.join();
}
