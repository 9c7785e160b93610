// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A claim handed to the task its owner starts: a function claims a flag
// under the lock (tests it free, sets it) and, still owning it, creates the
// task that drains what the flag guards; the task releases the claim itself
// (stores the free value back under the lock). The task runs as the claim's
// owner: its unlocked accesses cannot overlap another owner's, nor the
// accesses made under the lock after the flag tested free (RxCpp's
// observe_on: one drain at a time, a mode member says it runs).
#include <deque>
#include <mutex>
#include <thread>

void deliver(int);

// 1. The drain started on a thread only when the mode went from Empty to
// Processing under the lock; it sets Empty back under the lock: not
// reported.
class Observer {
public:
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock_);
    fill_.push_back(v);
    ensure_processing(guard);
  }

private:
  enum class Mode { Empty, Processing };
  void ensure_processing(std::unique_lock<std::mutex> &guard) {
    if (mode_ != Mode::Empty)
      return; // a drain is running: it owns drain_
    mode_ = Mode::Processing;
    if (fill_.empty() && drain_.empty()) {
      mode_ = Mode::Empty;
      return;
    }
    guard.unlock();
    std::thread([this] { drain(); }).detach(); // one drain at a time
  }
  void drain() {
    for (;;) {
      if (drain_.empty()) {
        std::unique_lock<std::mutex> guard(lock_);
        if (drain_.empty()) {
          if (fill_.empty()) {
            mode_ = Mode::Empty; // hands drain_ back
            return;
          }
          std::swap(fill_, drain_);
        }
      }
      int v = drain_.front();
      drain_.pop_front();
      deliver(v);
    }
  }
  std::mutex lock_;
  std::deque<int> fill_, drain_;
  Mode mode_ = Mode::Empty;
};

// 2. The same with the drain written in the task's lambda and a bool flag:
// not reported.
class Pump {
public:
  void push(int v) {
    std::lock_guard<std::mutex> g(m_);
    in_.push_back(v);
    if (running_)
      return;
    running_ = true;
    std::thread([this] {
      for (;;) {
        {
          std::lock_guard<std::mutex> g(m_);
          if (in_.empty()) {
            running_ = false;
            return;
          }
          std::swap(in_, out_);
        }
        while (!out_.empty()) {
          deliver(out_.front());
          out_.pop_front();
        }
      }
    }).detach();
  }

private:
  std::mutex m_;
  std::deque<int> in_, out_;
  bool running_ = false;
};

// 3. Still reported: no mode check, two drains may run.
class NoMode {
public:
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock_);
    fill_.push_back(v);
    guard.unlock();
    std::thread([this] { drain(); }).detach();
  }

private:
  void drain() {
    for (;;) {
      if (drain_.empty()) { // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
        std::unique_lock<std::mutex> guard(lock_);
        if (drain_.empty()) {
          if (fill_.empty())
            return;
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          std::swap(fill_, drain_); // CHECK-NOTE: 'drain_' is modified under 'lock_' here
        }
      }
      int v = drain_.front(); // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
      drain_.pop_front(); // CHECK-WARN: container 'drain_' is modified without holding 'lock_', which guards its other accesses
      deliver(v);
    }
  }
  std::mutex lock_;
  std::deque<int> fill_, drain_;
};

// 4. Still reported: the claimed drain, and another drain started without
// the claim.
class Kicked {
public:
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock_);
    fill_.push_back(v);
    if (busy_)
      return;
    busy_ = true;
    guard.unlock();
    std::thread([this] { drain(); }).detach();
  }
  void kick() {
    std::thread([this] { drain(); }).detach();
  }

private:
  void drain() {
    for (;;) {
      if (drain_.empty()) { // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
        std::unique_lock<std::mutex> guard(lock_);
        if (drain_.empty()) {
          if (fill_.empty()) {
            busy_ = false;
            return;
          }
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          std::swap(fill_, drain_); // CHECK-NOTE: 'drain_' is modified under 'lock_' here
        }
      }
      int v = drain_.front(); // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
      drain_.pop_front(); // CHECK-WARN: container 'drain_' is modified without holding 'lock_', which guards its other accesses
      deliver(v);
    }
  }
  std::mutex lock_;
  std::deque<int> fill_, drain_;
  bool busy_ = false;
};

// 5. Still reported: a producer touches the drain's queue without the lock.
class Producer {
public:
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock_);
    fill_.push_back(v);
    if (busy_)
      return;
    busy_ = true;
    guard.unlock();
    std::thread([this] { drain(); }).detach();
  }
  void urgent(int v) {
    // CHECK-NOTE@+2: hold 'lock_' for this statement
    // CHECK-FIX: std::scoped_lock lock(lock_); drain_.push_front(v);
    drain_.push_front(v); // CHECK-WARN: container 'drain_' is modified without holding 'lock_', which guards its other accesses
  }
  std::size_t pending() {
    std::lock_guard<std::mutex> guard(lock_);
    return fill_.size() + drain_.size();
  }

private:
  void drain() {
    for (;;) {
      if (drain_.empty()) { // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
        std::unique_lock<std::mutex> guard(lock_);
        if (drain_.empty()) {
          if (fill_.empty()) {
            busy_ = false;
            return;
          }
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          std::swap(fill_, drain_); // CHECK-NOTE: 'drain_' is modified under 'lock_' here
        }
      }
      int v = drain_.front(); // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
      drain_.pop_front(); // CHECK-WARN: container 'drain_' is modified without holding 'lock_', which guards its other accesses
      deliver(v);
    }
  }
  std::mutex lock_;
  std::deque<int> fill_, drain_;
  bool busy_ = false;
};

// 6. Still reported: the starter releases the claim itself after starting
// the drain, so a second drain may start while the first runs.
class ReleasedByStarter {
public:
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock_);
    fill_.push_back(v);
    if (busy_)
      return;
    busy_ = true;
    std::thread([this] { drain(); }).detach();
    busy_ = false;
  }

private:
  void drain() {
    for (;;) {
      if (drain_.empty()) { // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
        std::unique_lock<std::mutex> guard(lock_);
        if (drain_.empty()) {
          if (fill_.empty()) {
            busy_ = false;
            return;
          }
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          // CHECK-NOTE: 'drain_' is modified under 'lock_' here
          std::swap(fill_, drain_); // CHECK-NOTE: 'drain_' is modified under 'lock_' here
        }
      }
      int v = drain_.front(); // CHECK-WARN: container 'drain_' is read without holding 'lock_', which guards its other accesses
      drain_.pop_front(); // CHECK-WARN: container 'drain_' is modified without holding 'lock_', which guards its other accesses
      deliver(v);
    }
  }
  std::mutex lock_;
  std::deque<int> fill_, drain_;
  bool busy_ = false;
};
