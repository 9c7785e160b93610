// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A function entered with a lock that it releases and takes again before
// it returns (`m.unlock(); spinAndLock();` on one branch, nothing on the
// other) returns with the lock still held: its callers' later accesses are
// under it. Only a release not followed by a new acquisition on every path
// leaves the caller without the lock.
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#define CAPABILITY(x) __attribute__((capability(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
  std::mutex m_;

public:
  void lock() { m_.lock(); }
  void unlock() { m_.unlock(); }
};

bool stealSomething();

// 1. Released and taken again on one branch (directly or through a helper
// that returns holding it); the other branch keeps it.
class Worker {
  Mutex mutex;
  std::atomic<int> num{0};
  bool spinning = true;
  std::set<int> idle;

  void spinAndLock() {
    for (int i = 0; i < 100; ++i)
      if (num > 0 || stealSomething()) {
        mutex.lock();
        return;
      }
    mutex.lock();
  }
  // Entered with `mutex` (its attribute says so); returns with it.
  void waitForWork() REQUIRES(mutex) {
    if (spinning) {
      mutex.unlock();
      spinAndLock();
    }
  }
  // The same without the attribute: it releases a mutex it did not take.
  void relock() {
    if (spinning) {
      mutex.unlock();
      mutex.lock();
    }
  }

public:
  void put(int v) {
    std::lock_guard<Mutex> g(mutex);
    idle.insert(v);
  }
  bool has(int v) {
    std::lock_guard<Mutex> g(mutex);
    return idle.count(v) != 0;
  }
  void drop(int v) {
    std::lock_guard<Mutex> g(mutex);
    idle.erase(v);
  }
  void suspend() REQUIRES(mutex) {
    waitForWork();
    if (!idle.empty())
      idle.erase(idle.begin());
    relock();
    idle.insert(1);
  }
  void run() {
    std::lock_guard<Mutex> g(mutex);
    relock();
    idle.clear();
  }
};

// 2. Kept reported: a helper that releases the lock on one branch without
// taking it again leaves its caller without it.
class Pool {
  Mutex mutex;
  bool yielding = false;
  std::set<int> items;

  void maybeYield() REQUIRES(mutex) {
    if (yielding)
      mutex.unlock();
  }
  void release() { mutex.unlock(); }

public:
  void put(int v) {
    std::lock_guard<Mutex> g(mutex);
    items.insert(v); // CHECK-NOTE: 'items' is modified under 'mutex' here
    // CHECK-NOTE@-1: 'items' is modified under 'mutex' here
  }
  bool has(int v) {
    std::lock_guard<Mutex> g(mutex);
    return items.count(v) != 0;
  }
  void remove(int v) {
    std::lock_guard<Mutex> g(mutex);
    items.erase(v);
  }
  void take() {
    mutex.lock();
    maybeYield();
    items.clear(); // CHECK-WARN: container 'items' is modified without holding 'mutex', which guards its other accesses
    mutex.unlock();
  }
  void drop() {
    mutex.lock();
    release();
    items.erase(1); // CHECK-WARN: container 'items' is modified without holding 'mutex', which guards its other accesses
  }
};

// 3. A mutex class whose lock() and unlock() carry the attributes and wrap a
// standard mutex: its unlock() is one release, not two (the second would be
// a release of a mutex not held, which the function was "entered with").
class CAPABILITY("mutex") AnnotatedMutex {
  std::mutex m_;

public:
  void lock() __attribute__((acquire_capability())) { m_.lock(); }
  void unlock() __attribute__((release_capability())) { m_.unlock(); }
};

class Spinner {
  struct Work {
    AnnotatedMutex mutex;
  } work;
  std::atomic<int> num{0};
  std::set<int> queued;

  void spinAndLock() {
    for (int i = 0; i < 100; ++i) {
      if (num > 0) {
        work.mutex.lock();
        if (num > 0)
          return;
        work.mutex.unlock();
      }
    }
    work.mutex.lock();
  }

public:
  void add(int v) {
    std::lock_guard<AnnotatedMutex> g(work.mutex);
    queued.insert(v);
  }
  bool has(int v) {
    std::lock_guard<AnnotatedMutex> g(work.mutex);
    return queued.count(v) != 0;
  }
  // Returns holding the mutex, which it takes itself.
  void takeOne() {
    spinAndLock();
    if (!queued.empty())
      queued.erase(queued.begin());
    work.mutex.unlock();
  }
};

// 4. The same helpers reached deep from a thread's body, beyond the
// summaries' depth from there (wait -> suspend -> waitForWork -> spin ->
// the wrapper's lock()): a helper summarised where its own callee was out
// of reach is summarised again from nearer, and so is every summary that
// used it. The mutex wrapper is unlocked directly by a second caller.
#define SCOPED_CAPABILITY __attribute__((scoped_lockable))
#define ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
namespace sched {
class CAPABILITY("mutex") mutex {
public:
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }

private:
  friend class guard;
  std::mutex m_;
};
class SCOPED_CAPABILITY guard {
public:
  guard(mutex &m) ACQUIRE(m) : lock_(m.m_) {}
  ~guard() RELEASE() = default;
  void relockUnchecked() { lock_.lock(); }
  void unlockUnchecked() { lock_.unlock(); }

private:
  std::unique_lock<std::mutex> lock_;
};
} // namespace sched

template <typename T> T takeFirst(std::set<T> &s) {
  auto it = s.begin();
  T out = *it;
  s.erase(it);
  return out;
}

long ticks();

class Deep {
public:
  bool wait() {
    sched::guard l(work.mutex);
    suspend();
    return true;
  }
  bool waitUntil(sched::guard &outer, bool (*pred)()) {
    while (!pred()) {
      work.mutex.lock();
      outer.unlockUnchecked();
      suspend();
      work.mutex.unlock();
      outer.relockUnchecked();
    }
    return true;
  }
  void put(int v) {
    sched::guard l(work.mutex);
    idle.insert(v);
  }
  void waitForWork() REQUIRES(work.mutex) {
    if (spinning) {
      work.mutex.unlock();
      spinAndLock();
    }
  }
  void spinAndLock() {
    while (ticks() < 100) {
      for (int i = 0; i < 256; i++) {
        if (num > 0) {
          work.mutex.lock();
          if (num > 0)
            return;
          else
            work.mutex.unlock();
        }
      }
    }
    work.mutex.lock();
  }
  void suspend() REQUIRES(work.mutex) {
    waitForWork();
    if (!idle.empty())
      (void)takeFirst(idle);
  }

private:
  bool spinning = true;
  std::atomic<int> num{0};
  struct Work {
    sched::mutex mutex;
  } work;
  std::set<int> idle;
};

void useDeep(Deep &d, Spinner &s) {
  std::thread t([&] {
    d.put(1);
    s.add(1);
  });
  d.wait();
  s.takeOne();
  t.join();
}

// 5. A reverse guard: a local object whose constructor releases the mutex it
// is given and whose destructor takes it again (bloomberg/quantum's
// `Mutex::ReverseGuard`, around its condition variable's wait). It is no
// guard: a helper waiting under it returns holding the lock, and the
// caller's access after the call is under it.
class RMutex {
public:
  void lock() { m_.lock(); }
  void unlock() { m_.unlock(); }
  class Guard {
  public:
    explicit Guard(RMutex &m) : m_(&m) { m_->lock(); }
    ~Guard() { m_->unlock(); }

  private:
    RMutex *m_;
  };
  class ReverseGuard {
  public:
    explicit ReverseGuard(RMutex &m) : m_(&m) { m_->unlock(); }
    ~ReverseGuard() { m_->lock(); }

  private:
    RMutex *m_;
  };

private:
  std::mutex m_;
};

class Waiter {
  mutable RMutex mutex_;
  std::atomic<bool> ready_{false};
  std::set<int> values_;

  void waitReady() const {
    RMutex::ReverseGuard unlocked(mutex_);
    while (!ready_)
      std::this_thread::yield();
  }

public:
  void set(int v) {
    RMutex::Guard g(mutex_);
    // CHECK-NOTE@+1: 'values_' is modified under 'mutex_' here
    values_.insert(v);
    ready_ = true;
  }
  void clear() {
    RMutex::Guard g(mutex_);
    values_.clear();
  }
  bool has(int v) const {
    RMutex::Guard g(mutex_);
    waitReady();
    return values_.count(v) != 0;
  }
  // 6. Still reported: an access inside the reverse guard's scope.
  bool peek(int v) const {
    RMutex::Guard g(mutex_);
    RMutex::ReverseGuard unlocked(mutex_);
    // CHECK-WARN@+1: container 'values_' is read without holding 'mutex_', which guards its other accesses
    return values_.count(v) != 0;
  }
};
