// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A mutex named through a getter: a member function whose body only
// returns a member of its object by reference or pointer (`Spin &lockRef()
// { return spin_; }`) names that member of the object it is called on, for
// a guard or a lock() made on the call's result. A helper whose every
// caller holds the lock, one of them through the getter on another object
// of the class (`Guard g(other.lockRef()); other.pop();`), is entered with
// it.
#include <atomic>
#include <list>
#include <mutex>
#include <vector>

class Spin {
  std::atomic_flag f_ = ATOMIC_FLAG_INIT;

public:
  void lock() {
    while (f_.test_and_set()) {
    }
  }
  bool tryLock() { return !f_.test_and_set(); }
  void unlock() { f_.clear(); }
  class Guard {
  public:
    explicit Guard(Spin &s) : s_(s), owns_(true) { s_.lock(); }
    Guard(Spin &s, bool) : s_(s), owns_(s.tryLock()) {}
    ~Guard() {
      if (owns_)
        s_.unlock();
    }
    bool ownsLock() const { return owns_; }

  private:
    Spin &s_;
    bool owns_;
  };
};

// 1. The callers hold the lock: directly, through a try-lock guard
// confirmed by ownsLock(), through the getter on this object and on
// another one (an element of a vector a member points to), and through a
// getter returning a pointer. take() is entered with spin_.
class Queue {
public:
  void push(int v) {
    Spin::Guard g(spin_);
    items_.push_back(v);
  }
  int take() {
    if (items_.empty())
      return 0;
    int v = items_.front();
    items_.pop_front();
    return v;
  }
  int pop() {
    Spin::Guard g(spin_);
    return take();
  }
  int tryPop() {
    Spin::Guard g(spin_, true);
    if (g.ownsLock())
      return take();
    return 0;
  }
  int popHere() {
    Spin::Guard g(lockRef());
    return take();
  }
  int popFrom(Queue &other) {
    Spin::Guard g(other.lockRef());
    return other.take();
  }
  int popFromShared() {
    Spin::Guard g((*shared_)[0].lockRef());
    return (*shared_)[0].take();
  }
  int popThroughPointer(Queue &other) {
    other.lockPtr()->lock();
    int v = other.take();
    other.lockPtr()->unlock();
    return v;
  }
  Spin &lockRef() { return spin_; }
  Spin *lockPtr() { return &spin_; }

private:
  std::vector<Queue> *shared_ = nullptr;
  Spin spin_;
  std::list<int> items_;
};

// 2. Still reported: a getter that returns another mutex than the one
// guarding the list.
class OtherGetter {
public:
  void push(int v) {
    Spin::Guard g(spin_);
    // CHECK-NOTE@+1: 'items_' is modified under 'spin_' here
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'spin_' here
  }
  int take() {
    if (items_.empty()) // CHECK-WARN: container 'items_' is read without holding 'spin_', which guards its other accesses
      return 0;
    items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'spin_', which guards its other accesses
    return 1;
  }
  int pop() {
    Spin::Guard g(spin_);
    return take();
  }
  int popFrom(OtherGetter &other) {
    Spin::Guard g(other.statsLock());
    return other.take();
  }
  Spin &statsLock() { return statsSpin_; }

private:
  Spin spin_;
  Spin statsSpin_;
  std::list<int> items_;
};

// 3. Still reported: the getter's lock taken on another object than the
// one whose member is called.
class WrongObject {
public:
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void clearItems() {
    items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
  }
  void drainInto(WrongObject &other) {
    std::lock_guard<std::mutex> g(other.mutex());
    clearItems();
  }
  void reset() {
    std::lock_guard<std::mutex> g(mu_);
    clearItems();
  }
  std::mutex &mutex() { return mu_; }

private:
  std::mutex mu_;
  std::list<int> items_;
};

// 4. Still reported: a member called once without the lock.
class OnceUnlocked {
public:
  void push(int v) {
    Spin::Guard g(lockRef());
    // CHECK-NOTE@+1: 'items_' is modified under 'spin_' here
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'spin_' here
  }
  int take() {
    if (items_.empty()) // CHECK-WARN: container 'items_' is read without holding 'spin_', which guards its other accesses
      return 0;
    items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'spin_', which guards its other accesses
    return 1;
  }
  int pop() {
    Spin::Guard g(lockRef());
    return take();
  }
  int popUnlocked() { return take(); }
  Spin &lockRef() { return spin_; }

private:
  Spin spin_;
  std::list<int> items_;
};

// 5. Still reported: a virtual getter (an override may return another
// mutex), and one that does more than return the member. No fix-it: the
// guard's mutex is not known, and may be 'mu_' (taking it again would
// deadlock).
class VirtualGetter {
public:
  virtual ~VirtualGetter() = default;
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void pop() {
    std::lock_guard<std::mutex> g(mu_);
    items_.pop_front();
  }
  void erase(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.remove(v);
  }
  void drain() {
    // CHECK-NOTE@+1: no fix-it: the lock taken here may be 'mu_' (its mutex is not known)
    std::lock_guard<std::mutex> g(mutex());
    // CHECK-WARN@+1: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.clear();
  }
  void drainCounted() {
    // CHECK-NOTE@+1: no fix-it: the lock taken here may be 'mu_' (its mutex is not known)
    std::lock_guard<std::mutex> g(countedMutex());
    // CHECK-WARN@+1: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.clear();
  }
  virtual std::mutex &mutex() { return mu_; }
  std::mutex &countedMutex() {
    ++uses_;
    return uses_ > 1 ? other_ : mu_;
  }

private:
  int uses_ = 0;
  std::mutex mu_;
  std::mutex other_;
  std::list<int> items_;
};
