// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// The object's tear-down: a member function its destructor calls that
// joins, on every path, the object's own worker (a thread member, or a
// pointer owning one, that only constructors store) before an access. The
// worker has ended and never starts again: the access is not reported.
#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

// 1. A thread member, and a thread held through a std::shared_ptr member:
// the clear after the join is the tear-down.
class Worker {
public:
  Worker() { thread_ = std::thread(&Worker::run, this); }
  ~Worker() { stop(); }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void stop() {
    if (stopped_.exchange(true))
      return;
    thread_.join();
    items_.clear();
  }

private:
  void run() {
    while (!stopped_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!items_.empty())
        items_.pop_front();
    }
  }
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::list<int> items_;
  std::thread thread_;
};

class SharedWorker {
public:
  explicit SharedWorker(bool own) {
    if (own)
      thread_ = std::make_shared<std::thread>(&SharedWorker::run, this);
  }
  ~SharedWorker() { terminate(); }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void terminate() {
    if (thread_ && !stopped_.exchange(true)) {
      thread_->join();
      items_.clear();
    }
  }
  const std::shared_ptr<std::thread> &thread() const { return thread_; }

private:
  void run() {
    while (!stopped_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!items_.empty())
        items_.pop_front();
    }
  }
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::list<int> items_;
  std::shared_ptr<std::thread> thread_;
};

// 2. Still reported: a join on one branch only, an access before the
// join.
class OneBranch {
public:
  OneBranch() { thread_ = std::thread(&OneBranch::run, this); }
  ~OneBranch() { stop(false); }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void stop(bool wait) {
    stopped_ = true;
    if (wait)
      thread_.join();
    items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@-1: hold 'mu_' for this statement
    // CHECK-FIX@-2: std::scoped_lock lock(mu_); items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
  }

private:
  void run() {
    while (!stopped_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!items_.empty())
        items_.pop_front();
    }
  }
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::list<int> items_;
  std::thread thread_;
};

// 3. Still reported: a worker another member function starts again (the
// join ends one run; a restart shares the list once more), and a function
// the destructor does not call.
class Restartable {
public:
  Restartable() { thread_ = std::thread(&Restartable::run, this); }
  ~Restartable() { stop(); }
  void restart() {
    stop();
    stopped_ = false;
    thread_ = std::thread(&Restartable::run, this);
  }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void stop() {
    stopped_ = true;
    thread_.join();
    items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@-1: hold 'mu_' for this statement
    // CHECK-FIX@-2: std::scoped_lock lock(mu_); items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
  }

private:
  void run() {
    while (!stopped_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!items_.empty())
        items_.pop_front();
    }
  }
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::list<int> items_;
  std::thread thread_;
};

// 4. Not reported: the join guarded by `joinable()`: on the branch where the
// worker is not joinable there is no thread left to wait for.
class GuardedJoin {
public:
  GuardedJoin() { thread_ = std::thread(&GuardedJoin::run, this); }
  ~GuardedJoin() { stop(); }
  void push(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void stop() {
    stopped_ = true;
    if (thread_.joinable())
      thread_.join();
    items_.clear();
  }

private:
  void run() {
    while (!stopped_) {
      std::lock_guard<std::mutex> g(mu_);
      if (!items_.empty())
        items_.pop_front();
    }
  }
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::list<int> items_;
  std::thread thread_;
};
