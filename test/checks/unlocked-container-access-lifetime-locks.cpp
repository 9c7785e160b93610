// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Lifetime locks: a class whose constructors acquire a mutex that only its
// destructor releases holds it for the object's life, and its other member
// functions run with it held: a guard member constructed or assigned from
// the mutex in the constructor (round 19's ccache BulkLogger, which does so
// only when logging is enabled), or the mutex's own lock() in the
// constructor and unlock() in the destructor, through a pointer member
// (round 19's luanti MutexedQueue<T>::IterationHelper). A member function
// that itself unlocks it is followed as it runs: what it touches after the
// unlock is unguarded. A class one of whose other members releases the lock
// for good holds none.
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// --- Not flagged -------------------------------------------------------------

namespace bulk {
std::string buffer;
bool enabled = false;
std::mutex log_mutex;
void write_entry(const char *s) {
  if (enabled) {
    buffer += s;
    buffer.append(s);
  }
}
void log(const char *s) {
  if (!enabled)
    return;
  std::unique_lock<std::mutex> lock(log_mutex);
  write_entry(s);
}
// The guard member is assigned in the constructor when logging is on; the
// other members log only when it is on.
class BulkLogger {
public:
  BulkLogger() {
    if (enabled)
      lock_ = std::unique_lock<std::mutex>(log_mutex);
  }
  void log(const char *s) {
    if (!enabled)
      return;
    write_entry(s);
  }

private:
  std::unique_lock<std::mutex> lock_;
};
void worker() { log("x"); }
void run() {
  std::thread t(worker);
  BulkLogger b;
  b.log("y");
  t.join();
}
} // namespace bulk

namespace init_list {
std::vector<int> items;
std::mutex m;
// A guard member initialised from the mutex.
class Batch {
public:
  Batch() : lock_(m) {}
  void add(int v) { items.push_back(v); }

private:
  std::lock_guard<std::mutex> lock_;
};
void worker() {
  std::lock_guard<std::mutex> g(m);
  items.push_back(1);
}
void run() {
  std::thread t(worker);
  Batch b;
  b.add(2);
  t.join();
}
} // namespace init_list

namespace iteration {
// luanti's MutexedQueue: the helper locks the queue's mutex through its
// pointer member and a getter in its constructor, unlocks it in its
// destructor, and its members touch the queue through another getter.
template <typename T> class MutexedQueue {
public:
  void push_back(const T &t) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_queue.push_back(t);
  }
  bool pop(T &out) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_queue.empty())
      return false;
    out = m_queue.front();
    m_queue.pop_front();
    return true;
  }

protected:
  struct IterationHelper {
    friend class MutexedQueue<T>;
    ~IterationHelper() { q->getMutex().unlock(); }
    auto begin() { return q->getQueue().begin(); }
    auto end() { return q->getQueue().end(); }
    auto erase(typename std::deque<T>::iterator it) {
      return q->getQueue().erase(it);
    }

  private:
    IterationHelper(MutexedQueue<T> *parent) : q(parent) {
      q->getMutex().lock();
    }
    MutexedQueue<T> *q;
  };

public:
  auto iter() { return IterationHelper(this); }

protected:
  std::mutex &getMutex() { return m_mutex; }
  std::deque<T> &getQueue() { return m_queue; }

  std::deque<T> m_queue;
  std::mutex m_mutex;
};

MutexedQueue<int> queue;
void drop_odd() {
  auto it = queue.iter();
  for (auto i = it.begin(); i != it.end();)
    i = *i % 2 ? it.erase(i) : ++i;
}
void run() {
  std::thread t([] { queue.push_back(1); });
  drop_odd();
  t.join();
}
} // namespace iteration

namespace pointer_member {
struct Shared {
  std::mutex mu;
  std::vector<int> items;
};
// lock() and unlock() on the pointee's mutex in the constructor and the
// destructor, directly.
class Holder {
public:
  explicit Holder(Shared *s) : s_(s) { s_->mu.lock(); }
  ~Holder() { s_->mu.unlock(); }
  void add(int v) { s_->items.push_back(v); }
  int first() const { return s_->items.front(); }
  void addLocked(int v) {
    std::lock_guard<std::mutex> g(s_->mu);
    s_->items.push_back(v);
  }

private:
  Shared *s_;
};
void run(Shared &s) {
  std::thread t([&s] {
    Holder h(&s);
    h.addLocked(1);
  });
  Holder h(&s);
  h.add(2);
  t.join();
}
} // namespace pointer_member

// --- Flagged -----------------------------------------------------------------

namespace unlocks_then_touches {
struct Shared {
  std::mutex mu;
  std::vector<int> items;
};
// A member that unlocks the lifetime lock for a while: what it touches
// there is unguarded; it takes the lock again, and the other members keep
// it.
class Holder {
public:
  explicit Holder(Shared *s) : s_(s) { s_->mu.lock(); }
  ~Holder() { s_->mu.unlock(); }
  void add(int v) { s_->items.push_back(v); } // CHECK-NOTE: 'items' is modified under 'mu' here
  void addLater(int v) {
    s_->mu.unlock();
    // CHECK-WARN@+1: container 'items' is modified without holding 'mu', which guards its other accesses
    s_->items.push_back(v);
    s_->mu.lock();
  }
  void addLocked(int v) {
    std::lock_guard<std::mutex> g(s_->mu);
    s_->items.push_back(v);
  }

private:
  Shared *s_;
};
void run(Shared &s) {
  std::thread t([&s] {
    Holder h(&s);
    h.addLocked(1);
  });
  Holder h(&s);
  h.add(2);
  h.addLater(3);
  t.join();
}
} // namespace unlocks_then_touches

namespace released_early {
struct Shared {
  std::mutex mu;
  std::vector<int> items;
};
// release() gives the lock back before the destructor: no lifetime lock.
class Holder {
public:
  explicit Holder(Shared *s) : s_(s) { s_->mu.lock(); }
  ~Holder() {
    if (held_)
      s_->mu.unlock();
  }
  void release() {
    held_ = false;
    s_->mu.unlock();
  }
  // CHECK-WARN@+1: container 'items' is modified without holding 'mu', which guards its other accesses
  void add(int v) { s_->items.push_back(v); }
  void addLocked(int v) {
    std::lock_guard<std::mutex> g(s_->mu);
    s_->items.push_back(v); // CHECK-NOTE: 'items' is modified under 'mu' here
  }
  void addMore(int v) {
    std::lock_guard<std::mutex> g(s_->mu);
    s_->items.push_back(v);
  }

private:
  Shared *s_;
  bool held_ = true;
};
void run(Shared &s) {
  std::thread t([&s] {
    Holder h(&s);
    h.release();
    h.addLocked(1);
  });
  Holder h(&s);
  h.release();
  h.add(2);
  h.addMore(3);
  t.join();
}
} // namespace released_early

namespace guard_released {
std::vector<int> items;
std::mutex m;
// A member that unlocks the guard member: no lifetime lock.
class Batch {
public:
  Batch() : lock_(m) {}
  void pause() { lock_.unlock(); }
  // CHECK-WARN@+2: container 'items' is modified without holding 'm' while another thread modifies it
  // CHECK-FIX: void add(int v) { std::scoped_lock lock(m); items.push_back(v); }
  void add(int v) { items.push_back(v); } // CHECK-NOTE: hold 'm' for this statement

private:
  std::unique_lock<std::mutex> lock_;
};
void worker() {
  std::lock_guard<std::mutex> g(m);
  items.push_back(1); // CHECK-NOTE: conflicting modification on another thread under 'm'
}
void run() {
  std::thread t(worker);
  Batch b;
  b.pause();
  b.add(2);
  t.join();
}
} // namespace guard_released
