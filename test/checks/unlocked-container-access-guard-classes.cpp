// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A project's own scoped guard recognised by what it does: its constructor
// initialises a standard guard member from a mutex reached through its
// argument, and no other member releases it (but an unlock() member, which
// the rules for unique_lock handle); or clang's thread-safety attributes say
// so (a scoped_lockable class whose constructor acquires its argument).
#include <map>
#include <mutex>
#include <thread>

class Mutex {
  friend class Lock;
  friend class SharedLockLike;
  friend class Unlocker;
  friend class Keeper;
  std::mutex m_;

public:
  void lock() { m_.lock(); }
  void unlock() { m_.unlock(); }
};

// Holds a std::unique_lock of the Mutex's inner mutex.
class Lock {
  std::unique_lock<std::mutex> l_;

public:
  explicit Lock(Mutex &m) : l_(m.m_) {}
  void unlock() { l_.unlock(); }
};

class Registry {
  Mutex mutex_;
  std::map<int, int> byId_;

public:
  void add(int id) {
    Lock lock(mutex_);
    byId_.emplace(id, id); // CHECK-NOTE: 'byId_' is modified under 'mutex_' here
  }
  void remove(int id) {
    Lock lock(mutex_);
    byId_.erase(id);
  }
  // Still reported: unlocked early, through the guard's own unlock().
  void removeLate(int id) {
    Lock lock(mutex_);
    lock.unlock();
    // CHECK-WARN@+1: container 'byId_' is modified without holding 'mutex_', which guards its other accesses
    byId_.erase(id);
  }
};

// With clang's thread-safety attributes.
class __attribute__((capability("mutex"))) AnnotatedMutex {
  friend class AnnotatedLock;
  std::mutex m_;

public:
  void lock() __attribute__((acquire_capability())) { m_.lock(); }
  void unlock() __attribute__((release_capability())) { m_.unlock(); }
};

// A member that releases the guard outside the attributes' view keeps the
// structural rule from applying; the attributes still say it is a guard.
class __attribute__((scoped_lockable)) AnnotatedLock {
  std::unique_lock<std::mutex> l_;

public:
  explicit AnnotatedLock(AnnotatedMutex &m) __attribute__((acquire_capability(m)))
      : l_(m.m_) {}
  ~AnnotatedLock() __attribute__((release_capability())) = default;
  void unlockQuietly() { l_.unlock(); }
  void lockQuietly() { l_.lock(); }
};

class AnnotatedRegistry {
  AnnotatedMutex mutex_;
  std::map<int, int> byId_;

public:
  void add(int id) {
    AnnotatedLock lock(mutex_);
    byId_.emplace(id, id);
  }
  void remove(int id) {
    AnnotatedLock lock(mutex_);
    byId_.erase(id);
  }
};

// Still reported: a class that stores the mutex without locking it.
class Keeper {
  std::mutex &m_;

public:
  explicit Keeper(Mutex &m) : m_(m.m_) {}
};

// Still reported: another member releases the guard, so it is not held for
// the object's life.
class Unlocker {
  std::unique_lock<std::mutex> l_;

public:
  explicit Unlocker(Mutex &m) : l_(m.m_) {}
  void finish() { l_.unlock(); }
};

class Loose {
  Mutex mutex_;
  std::map<int, int> byId_;

public:
  void add(int id) {
    Lock lock(mutex_);
    // CHECK-NOTE@+2: conflicting modification on another thread under 'mutex_'
    // CHECK-NOTE@+1: conflicting modification on another thread under 'mutex_'
    byId_.emplace(id, id);
  }
  void keep(int id) {
    Keeper k(mutex_);
    // CHECK-WARN@+1: container 'byId_' is modified without holding 'mutex_' while another thread modifies it
    byId_.erase(id);
  }
  void finish(int id) {
    Unlocker u(mutex_);
    u.finish();
    // CHECK-WARN@+1: container 'byId_' is modified without holding 'mutex_' while another thread modifies it
    byId_.erase(id);
  }
};

int main() {
  Registry r;
  AnnotatedRegistry a;
  Loose l;
  std::thread t([&] {
    r.add(1);
    a.add(1);
    l.add(1);
  });
  r.remove(1);
  r.removeLate(1);
  a.remove(1);
  l.keep(1);
  l.finish(1);
  t.join();
}
