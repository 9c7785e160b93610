// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// The fix-it takes the guarding mutex for the statement. Where the
// function holds, at the access, a lock whose mutex the analysis cannot
// name (a guard of a virtual getter's result, lock() called on it, a guard
// of `*this`), or a call of the function holds one, that lock may be the
// very mutex the fix would take: the fix is withheld, and a note says why.
#include <list>
#include <mutex>

// 1. No fix-it: lock() called on the virtual getter's result.
class LockCall {
public:
  virtual ~LockCall() = default;
  virtual std::mutex &mutex() { return mu_; }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v);
  }
  void pop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_front();
  }
  void drain() {
    mutex().lock(); // CHECK-NOTE: no fix-it: the lock taken here may be 'mu_' (its mutex is not known)
    // CHECK-WARN@+1: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.clear();
    mutex().unlock();
  }

private:
  std::mutex mu_;
  std::list<int> items_;
};

// 2. No fix-it: the getter's guard is released on one path only (the
// unknown lock may be held at the access).
class OnePath {
public:
  virtual ~OnePath() = default;
  virtual std::mutex &mutex() { return mu_; }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v);
  }
  void pop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_front();
  }
  void drain(bool keep) {
    // CHECK-NOTE@+1: no fix-it: the lock taken here may be 'mu_' (its mutex is not known)
    std::unique_lock<std::mutex> g(mutex());
    if (!keep)
      g.unlock();
    // CHECK-WARN@+1: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.clear();
  }

private:
  std::mutex mu_;
  std::list<int> items_;
};

// 3. No fix-it in a helper one of whose calls holds the getter's guard.
class CallerHolds {
public:
  virtual ~CallerHolds() = default;
  virtual std::mutex &mutex() { return mu_; }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v);
  }
  void pop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_front();
  }
  void drain() {
    std::lock_guard<std::mutex> g(mutex());
    clearItems(); // CHECK-NOTE: no fix-it: this call holds a lock that may be 'mu_' (its mutex is not known)
  }
  void reset() { clearItems(); }
  void clearItems() {
    // CHECK-WARN@+1: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.clear();
  }

private:
  std::mutex mu_;
  std::list<int> items_;
};

// 4. No fix-it: a guard of the object itself, a lockable whose lock()
// takes mu_ (the fix would take mu_ twice).
class SelfLocking {
public:
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v);
  }
  void pop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_front();
  }
  void drain() {
    // CHECK-NOTE@+1: no fix-it: the lock taken here may be 'mu_' (its mutex is not known)
    std::lock_guard<SelfLocking> g(*this);
    // CHECK-WARN@+1: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.clear();
  }

private:
  std::mutex mu_;
  std::list<int> items_;
};

// 5. The fix-it stays where the unknown lock is no longer held: its guard's
// scope ended, or the guard was unlocked on every path.
class Released {
public:
  virtual ~Released() = default;
  virtual std::mutex &mutex() { return mu_; }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK-NOTE@+2: 'items_' is modified under 'mu_' here
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v);
  }
  void pop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_front();
  }
  void erase(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.remove(v);
  }
  void drainAfterScope() {
    {
      std::lock_guard<std::mutex> g(mutex());
      ++drains_;
    }
    // CHECK-WARN@+2: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    items_.clear(); // CHECK-FIX: std::scoped_lock lock(mu_); items_.clear();
  }
  void drainAfterUnlock() {
    std::unique_lock<std::mutex> g(mutex());
    ++drains_;
    g.unlock();
    // CHECK-WARN@+2: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    items_.clear(); // CHECK-FIX: std::scoped_lock lock(mu_); items_.clear();
  }

private:
  int drains_ = 0;
  std::mutex mu_;
  std::list<int> items_;
};
