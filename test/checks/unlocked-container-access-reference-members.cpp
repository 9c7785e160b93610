// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A member object that refers to its owner's lock: its class binds a
// reference member to its constructor's parameter (`Queue(Sync &s) :
// sync_(s)`) and every constructor of the owner constructs it from its own
// member (`Queue queue_{sync_}`). The owner's lock `sync_.m` held at a call
// of `queue_.pop()` is then the callee's `this->sync_.m`.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

struct Sync {
  std::mutex m;
  std::condition_variable cv;
};

class Queue {
  Sync &sync_;
  std::deque<int> items_;

public:
  explicit Queue(Sync &s) : sync_(s) {}
  void push(int v) {
    std::lock_guard<std::mutex> g(sync_.m);
    items_.push_back(v);
    sync_.cv.notify_one();
  }
  // Called with sync_.m held by the owner.
  bool pop(int &out) {
    if (items_.empty())
      return false;
    out = items_.front();
    items_.pop_front();
    return true;
  }
};

// 1. Constructed from the owner's member in a default member initialiser:
// not reported.
class Loop {
  Sync sync_;
  Queue queue_{sync_};
  bool stop_ = false;

  void step(std::unique_lock<std::mutex> &lock) {
    int v;
    if (!queue_.pop(v))
      sync_.cv.wait(lock);
  }

public:
  void run() {
    std::unique_lock<std::mutex> lock(sync_.m);
    while (!stop_)
      step(lock);
  }
  void post(int v) { queue_.push(v); }
  void stop() {
    std::lock_guard<std::mutex> g(sync_.m);
    stop_ = true;
    sync_.cv.notify_one();
  }
};

// 2. Constructed in the owner's constructor: not reported.
class Stage {
  Sync sync_;
  Queue queue_;

public:
  Stage() : queue_(sync_) {}
  int drain() {
    std::lock_guard<std::mutex> g(sync_.m);
    int n = 0, v;
    while (queue_.pop(v))
      ++n;
    return n;
  }
  void post(int v) { queue_.push(v); }
};

// 3. Still reported: one constructor hands the member another object, so
// the owner's lock is not the one the member object's accesses need.
class Tray {
  std::deque<int> items_;
  Sync &sync_;

public:
  explicit Tray(Sync &s) : sync_(s) {}
  void push(int v) {
    std::lock_guard<std::mutex> g(sync_.m);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'm' here
    // CHECK-NOTE@-1: 'items_' is modified under 'm' here
    // CHECK-NOTE@-2: 'items_' is modified under 'm' here
  }
  bool pop(int &out) {
    if (items_.empty()) // CHECK-WARN: container 'items_' is read without holding 'm', which guards its other accesses
      return false;
    out = items_.front(); // CHECK-WARN: container 'items_' is read without holding 'm', which guards its other accesses
    items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'm', which guards its other accesses
    return true;
  }
};
class Shelf {
  Sync sync_;
  Tray tray_;

public:
  Shelf() : tray_(sync_) {}
  explicit Shelf(Sync &shared) : tray_(shared) {}
  int take() {
    std::lock_guard<std::mutex> g(sync_.m);
    int v = 0;
    tray_.pop(v);
    return v;
  }
  void put(int v) { tray_.push(v); }
};

// Still reported: the caller holds the lock of another member than the one
// the member object refers to.
class Box {
  std::deque<int> items_;
  Sync &sync_;

public:
  explicit Box(Sync &s) : sync_(s) {}
  void push(int v) {
    std::lock_guard<std::mutex> g(sync_.m);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'm' here
  }
  void clear() {
    items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'm', which guards its other accesses
  }
  // Called only under the owner's sync_.m: not reported.
  bool empty() { return items_.empty(); }
};
class Crate {
  Sync sync_;
  Sync other_;
  Box box_{sync_};

public:
  void reset() {
    std::lock_guard<std::mutex> g(other_.m);
    box_.clear();
  }
  bool idle() {
    std::lock_guard<std::mutex> g(sync_.m);
    return box_.empty();
  }
  void put(int v) { box_.push(v); }
};

int main() {
  Loop l;
  std::thread t([&] { l.run(); });
  l.post(1);
  l.stop();
  t.join();
  Stage s;
  s.post(1);
  s.drain();
  Sync shared;
  Shelf a, b(shared);
  a.put(1);
  a.take();
  b.take();
  Crate c;
  c.put(1);
  c.reset();
  c.idle();
}
