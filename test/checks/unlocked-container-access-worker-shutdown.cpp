// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// The shut-down clean-up of an object's own worker: the worker's entry (a
// member function a constructor starts on `this`, kept in a thread member
// only constructors store) runs a loop that leaves only when a flag member
// holds its stop value, and the only stores of that value (outside
// constructors) are made by member functions that then join the worker on
// every path. What the entry does after the loop runs while that member
// waits in the join: it is the object's tear-down, as an access after the
// join is (unlocked-container-access-teardown.cpp). bloomberg/quantum's
// TaskQueue::run() emptying its run queue after `while (!isInterrupted())`,
// which only terminate() ends (`_isInterrupted = true; ... _thread->join()`).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

// 1. Not reported: the clean-up after the loop that terminate() ends.
class TaskQueue {
public:
  explicit TaskQueue(TaskQueue *shared) : shared_(shared) {
    thread_ = std::make_shared<std::thread>(std::bind(&TaskQueue::run, this));
  }
  ~TaskQueue() { terminate(); }
  void enqueue(int t) {
    std::lock_guard<std::mutex> g(waitLock_);
    wait_.push_back(t);
    cv_.notify_all();
  }
  void terminate() {
    bool expected = false;
    if (terminated_.compare_exchange_strong(expected, true)) {
      {
        std::lock_guard<std::mutex> g(notEmpty_);
        interrupted_ = true;
      }
      cv_.notify_all();
      thread_->join();
    }
  }
  void processTask() {
    std::lock_guard<std::mutex> g(runLock_);
    if (run_.empty()) {
      std::lock_guard<std::mutex> w(waitLock_);
      run_.splice(run_.end(), wait_);
    }
    if (!run_.empty())
      run_.pop_front();
  }
  bool hasWork() {
    std::lock_guard<std::mutex> g(runLock_);
    return !run_.empty();
  }

private:
  bool isInterrupted() {
    std::unique_lock<std::mutex> lock(notEmpty_);
    cv_.wait(lock, [this] { return interrupted_ || !wait_.empty(); });
    return interrupted_;
  }
  void run() {
    while (!isInterrupted()) {
      processTask();
      if (shared_)
        shared_->processTask();
    }
    while (!run_.empty())
      run_.pop_front();
  }
  TaskQueue *shared_;
  std::shared_ptr<std::thread> thread_;
  std::mutex runLock_, waitLock_, notEmpty_;
  std::condition_variable cv_;
  std::atomic_bool interrupted_{false};
  std::atomic_bool terminated_{false};
  std::list<int> run_, wait_;
};

// 2. Still reported: a stop() that sets the flag without joining the worker
// (the clean-up runs while the caller goes on).
class StopWithoutJoin {
public:
  StopWithoutJoin() : thread_([this] { run(); }) {}
  ~StopWithoutJoin() {
    stop();
    thread_.join();
  }
  void stop() { stopped_ = true; }
  void process() {
    std::lock_guard<std::mutex> g(lock_);
    if (!items_.empty())
      // CHECK-NOTE@+2: 'items_' is modified under 'lock_' here
      // CHECK-NOTE@+1: 'items_' is modified under 'lock_' here
      items_.pop_front();
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(lock_);
    items_.push_back(v);
  }

private:
  void run() {
    while (!stopped_)
      process();
    // CHECK-WARN@+1: container 'items_' is read without holding 'lock_', which guards its other accesses
    while (!items_.empty())
      // CHECK-WARN@+1: container 'items_' is modified without holding 'lock_', which guards its other accesses
      items_.pop_front();
  }
  std::atomic_bool stopped_{false};
  std::mutex lock_;
  std::list<int> items_;
  std::thread thread_;
};

// 3. Still reported: a loop that also leaves by a `break`, and a flag set
// back by another member (the loop's exit is not the stop).
class LeavesByBreak {
public:
  LeavesByBreak() : thread_([this] { run(); }) {}
  ~LeavesByBreak() { terminate(); }
  void terminate() {
    stopped_ = true;
    thread_.join();
  }
  void process() {
    std::lock_guard<std::mutex> g(lock_);
    if (!items_.empty())
      // CHECK-NOTE@+1: 'items_' is modified under 'lock_' here
      items_.pop_front();
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(lock_);
    items_.push_back(v);
  }

private:
  bool idle();
  void run() {
    while (!stopped_) {
      process();
      if (idle())
        break;
    }
    // CHECK-WARN@+2: container 'items_' is modified without holding 'lock_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'lock_' for this statement
    items_.clear(); // CHECK-FIX: std::scoped_lock lock(lock_); items_.clear();
  }
  std::atomic_bool stopped_{false};
  std::mutex lock_;
  std::list<int> items_;
  std::thread thread_;
};

class Restarted {
public:
  Restarted() : thread_([this] { run(); }) {}
  ~Restarted() { terminate(); }
  void terminate() {
    stopped_ = true;
    thread_.join();
  }
  void resume() { stopped_ = false; }
  void process() {
    std::lock_guard<std::mutex> g(lock_);
    if (!items_.empty())
      // CHECK-NOTE@+1: 'items_' is modified under 'lock_' here
      items_.pop_front();
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(lock_);
    items_.push_back(v);
  }

private:
  void run() {
    while (!stopped_)
      process();
    // CHECK-WARN@+2: container 'items_' is modified without holding 'lock_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'lock_' for this statement
    items_.clear(); // CHECK-FIX: std::scoped_lock lock(lock_); items_.clear();
  }
  std::atomic_bool stopped_{false};
  std::mutex lock_;
  std::list<int> items_;
  std::thread thread_;
};

// 4. Not reported: the join guarded by `joinable()`, the usual stop():
// where the worker is not joinable there is no thread to wait for.
class GuardedJoin {
public:
  GuardedJoin() : thread_(&GuardedJoin::run, this) {}
  ~GuardedJoin() { stop(); }
  void stop() {
    stopped_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(lock_);
    items_.push_back(v);
  }

private:
  void process() {
    std::lock_guard<std::mutex> g(lock_);
    if (!items_.empty())
      items_.pop_front();
  }
  void run() {
    while (!stopped_)
      process();
    items_.clear();
  }
  std::atomic_bool stopped_{false};
  std::mutex lock_;
  std::list<int> items_;
  std::thread thread_;
};

// 5. Still reported: the joinable worker detached, not joined (the
// clean-up runs while the caller goes on).
class DetachedWorker {
public:
  DetachedWorker() : thread_(&DetachedWorker::run, this) {}
  ~DetachedWorker() { stop(); }
  void stop() {
    stopped_ = true;
    if (thread_.joinable())
      thread_.detach();
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(lock_);
    // CHECK-NOTE@+1: 'items_' is modified under 'lock_' here
    items_.push_back(v);
  }

private:
  void process() {
    std::lock_guard<std::mutex> g(lock_);
    if (!items_.empty())
      items_.pop_front();
  }
  void run() {
    while (!stopped_)
      process();
    // CHECK-WARN@+2: container 'items_' is modified without holding 'lock_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'lock_' for this statement
    items_.clear(); // CHECK-FIX: std::scoped_lock lock(lock_); items_.clear();
  }
  std::atomic_bool stopped_{false};
  std::mutex lock_;
  std::list<int> items_;
  std::thread thread_;
};
