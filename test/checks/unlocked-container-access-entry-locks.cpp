// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// The locks a function is entered with (its entry lockset): those clang's
// thread-safety attributes require, those it releases without having taken
// them, and those held at every place it is called from. Its accesses are
// made under them; an access after it releases one is not.
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#define CAPABILITY(x) __attribute__((capability(x)))
#define REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define REQUIRES_SHARED(...)                                                   \
  __attribute__((requires_shared_capability(__VA_ARGS__)))
#define LOCKS_REQUIRED(...) __attribute__((exclusive_locks_required(__VA_ARGS__)))

class CAPABILITY("mutex") Mutex {
  std::mutex m_;

public:
  void lock() { m_.lock(); }
  void unlock() { m_.unlock(); }
  bool try_lock() { return m_.try_lock(); }
};

// 1. Clang's thread-safety attributes: the function is entered with the
// capability held.
class Scheduler {
  struct Work {
    Mutex mutex;
    std::deque<int> tasks;
  };
  Work work;
  Mutex other;
  std::set<int> idle;
  std::vector<int> log;

public:
  void add(int v) {
    work.mutex.lock();
    idle.insert(v); // CHECK-NOTE: 'idle' is modified under 'mutex' here
    work.tasks.push_back(v); // CHECK-NOTE@-1: 'idle' is modified under 'mutex' here
    log.push_back(v); // CHECK-NOTE: 'log' is modified under 'mutex' here
    work.mutex.unlock();
  }
  void remove(int v) {
    work.mutex.lock();
    idle.erase(v);
    log.push_back(v);
    work.mutex.unlock();
  }
  // Declared with the attribute, defined out of line.
  void runUntilIdle() REQUIRES(work.mutex);
  bool isIdle(int v) const REQUIRES_SHARED(work.mutex) {
    return idle.count(v) != 0;
  }
  void clearLocked() LOCKS_REQUIRED(work.mutex) { idle.clear(); }
  // A lambda with the attribute, run where the mutex is held.
  void wait() {
    auto pred = [this]() REQUIRES(work.mutex) { return !idle.empty(); };
    (void)pred;
  }

  // A lambda with the attribute run in place by a helper: its accesses are
  // under the mutex in the function that runs it as well.
  template <class F> void runIt(F f) { f(); }
  void spin() {
    runIt([this]() REQUIRES(work.mutex) { idle.insert(9); });
  }

  // Still reported: a different mutex required.
  void wrongMutex() REQUIRES(other) {
    idle.insert(3); // CHECK-WARN: container 'idle' is modified without holding 'mutex', which guards its other accesses
  }
  // Still reported: a write under a shared requirement.
  void sharedWrite() REQUIRES_SHARED(work.mutex) {
    idle.insert(4); // CHECK-WARN: container 'idle' is modified without holding 'mutex', which guards its other accesses
  }
  // Still reported: the access after the function releases it.
  void releaseThenLog() REQUIRES(work.mutex) {
    log.push_back(1);
    work.mutex.unlock();
    log.push_back(2); // CHECK-WARN: container 'log' is modified without holding 'mutex', which guards its other accesses
  }
};

void Scheduler::runUntilIdle() {
  while (!work.tasks.empty()) {
    work.tasks.pop_front();
    work.mutex.unlock();
    work.mutex.lock();
    idle.insert(1);
  }
}

// 2. A callee that releases a lock it did not take was entered with it held:
// its accesses before the release are under it, those after are not.
class Worker {
  std::mutex mutex_;
  std::deque<int> tasks_;
  std::vector<int> done_;

public:
  bool tryLock() { return mutex_.try_lock(); }
  void pushAndUnlock(int t) {
    tasks_.push_back(t);
    mutex_.unlock();
  }
  void push(int t) {
    mutex_.lock();
    pushAndUnlock(t);
  }
  void finishAndUnlock(int t) {
    done_.push_back(t); // CHECK-NOTE: 'done_' is modified under 'mutex_' here
    mutex_.unlock();
    done_.clear(); // CHECK-WARN: container 'done_' is modified without holding 'mutex_', which guards its other accesses
  }
  bool pop(int &out) {
    std::lock_guard<std::mutex> g(mutex_);
    if (tasks_.empty())
      return false;
    out = tasks_.front();
    tasks_.pop_front();
    done_.push_back(out);
    return true;
  }
};

void enqueue(Worker &w, int t) {
  if (w.tryLock()) {
    w.pushAndUnlock(t);
    return;
  }
  w.push(t);
}

// 3. Every call site holds the lock: the function is entered with it. A
// helper that returns the result of try_lock() holds the lock on the branch
// where it returned true.
class Queue {
  std::mutex m_;
  std::deque<int> items_;
  std::vector<int> seen_;

public:
  bool tryLock() { return m_.try_lock(); }
  void unlock() { m_.unlock(); }
  // Every caller holds m_.
  bool popLocked(int &out) {
    if (items_.empty())
      return false;
    out = items_.front();
    items_.pop_front();
    return true;
  }
  void pushLocked(int v) { items_.push_back(v); }
  // One caller holds m_, the other does not: still reported. The note is
  // the caller's own access under the lock (the helper's statement, also
  // reached without it, is no evidence that m_ guards seen_).
  void noteLocked(int v) {
    seen_.push_back(v); // CHECK-WARN: container 'seen_' is modified without holding 'm_', which guards its other accesses
  }
  void push(int v) {
    std::lock_guard<std::mutex> g(m_);
    pushLocked(v);
    noteLocked(v);
    seen_.push_back(v); // CHECK-NOTE: 'seen_' is modified under 'm_' here
  }
  void tryPush(int v) {
    if (tryLock()) {
      pushLocked(v);
      m_.unlock();
    }
  }
  int drain() {
    std::lock_guard<std::mutex> g(m_);
    int n = 0, v;
    while (popLocked(v))
      ++n;
    return n;
  }
  void note(int v) { noteLocked(v); }
};

// Still reported: the branch where the try-lock failed holds nothing.
class Cache {
  std::mutex m_;
  std::vector<int> items_;

public:
  bool tryLock() { return m_.try_lock(); }
  void addLocked(int v) {
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'm_', which guards its other accesses
  }
  void add(int v) {
    if (!tryLock()) {
      addLocked(v);
      return;
    }
    addLocked(v);
    m_.unlock();
  }
  void clear() {
    std::lock_guard<std::mutex> g(m_);
    items_.clear(); // CHECK-NOTE: 'items_' is modified under 'm_' here
  }
};

// Still reported: a virtual member may be called from anywhere.
class Base {
public:
  virtual ~Base() = default;
  virtual void addLocked(int v) = 0;
};
class Store : public Base {
  std::mutex m_;
  std::vector<int> items_;

public:
  void addLocked(int v) override {
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'm_', which guards its other accesses
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(m_);
    addLocked(v);
  }
  void clear() {
    std::lock_guard<std::mutex> g(m_);
    items_.clear(); // CHECK-NOTE: 'items_' is modified under 'm_' here
  }
};

int main() {
  Worker w;
  std::thread t([&] {
    int v;
    while (!w.pop(v)) {
    }
  });
  enqueue(w, 1);
  t.join();
}
