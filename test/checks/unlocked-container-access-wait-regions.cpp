// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Member rule: a lock held for a condition variable's wait (its guard is
// the wait's lock) is evidence for what the wait's predicate and the
// region's own statements touch, not for what a callee called inside the
// region touches: the region exists for the wait (round 12's cpp_redis: a
// consumer's commit() waits for its dispatch queue to have room, then
// polls the groups the caller subscribed before). Still reported: a member
// accessed directly under the mutex and once without it, a member read in
// the predicate and written without the lock, a callee's member that the
// class guards elsewhere with the same mutex.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

// Replies come on the I/O thread.
void read_group(const std::string &group, std::function<void(int)> cb);

class Consumer {
public:
  Consumer &subscribe(const std::string &group, std::function<void(int)> cb) {
    callbacks_.insert({group, cb});
    return *this;
  }
  void commit() { // the caller's thread, after its subscribe calls
    while (!ready_) {
      std::unique_lock<std::mutex> lock(queue_changed_mutex_);
      queue_changed_.wait(lock, [&] { return !queue_full_.load(); });
      poll();
    }
  }
  void on_queue_changed(bool full) {
    queue_full_ = full;
    queue_changed_.notify_all();
  }

private:
  void poll() {
    for (auto &cb : callbacks_)
      read_group(cb.first, cb.second);
  }
  std::map<std::string, std::function<void(int)>> callbacks_;
  std::mutex queue_changed_mutex_;
  std::condition_variable queue_changed_;
  std::atomic<bool> queue_full_{false}, ready_{false};
};

// The same with a timed wait and the guard unlocked by the destructor.
class TimedConsumer {
public:
  void subscribe(const std::string &group) { groups_.insert({group, 0}); }
  void commit() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!ready_) {
      changed_.wait_for(lock, std::chrono::milliseconds(10),
                        [&] { return !full_.load(); });
      poll();
    }
  }

private:
  void poll() {
    for (auto &g : groups_)
      read_group(g.first, [](int) {});
  }
  std::map<std::string, int> groups_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> full_{false}, ready_{false};
};

// The class guards the callee's member with the mutex elsewhere, directly:
// the unlocked write is reported.
class GuardedConsumer {
public:
  GuardedConsumer &subscribe(const std::string &group, std::function<void(int)> cb) {
    // CHECK-WARN@+2: container 'callbacks_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    callbacks_.insert({group, cb});
    // CHECK-FIX@-1: { std::scoped_lock lock(mutex_); callbacks_.insert({group, cb}); }
    return *this;
  }
  void reset() {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'callbacks_' is modified under 'mutex_' here
    callbacks_.clear();
  }
  void commit() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !full_.load(); });
    poll();
  }

private:
  void poll() {
    for (auto &cb : callbacks_)
      read_group(cb.first, cb.second);
  }
  std::map<std::string, std::function<void(int)>> callbacks_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> full_{false};
};

// The queue the wait's predicate reads, popped in the region itself and
// pushed without the lock: reported.
class Jobs {
public:
  void add(int j) {
    // CHECK-WARN@+2: container 'jobs_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    jobs_.push_back(j);
    // CHECK-FIX@-1: { std::scoped_lock lock(mutex_); jobs_.push_back(j); }
    cv_.notify_one();
  }
  int take() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return !jobs_.empty(); });
    int j = jobs_.front();
    // CHECK-NOTE@+1: 'jobs_' is modified under 'mutex_' here
    jobs_.pop_front();
    return j;
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<int> jobs_;
};

// Read only in the predicate, written without the lock: reported.
class Pending {
public:
  void add(int j) {
    // CHECK-WARN@+2: container 'pending_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    pending_.push_back(j);
    // CHECK-FIX@-1: { std::scoped_lock lock(mutex_); pending_.push_back(j); }
    cv_.notify_one();
  }
  void wait_some() {
    std::unique_lock<std::mutex> lock(mutex_);
    // CHECK-NOTE@+1: 'pending_' is read under 'mutex_' here
    cv_.wait(lock, [&] { return !pending_.empty(); });
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<int> pending_;
};

int main() {
  Consumer c;
  c.subscribe("g", [](int) {}).commit();
}
