// A flag claimed under a lock inside the lambda a locking helper runs
// (`lock_and_perform([&] { ... })`, sobjectizer's stop_guard_repo): the
// lambda tests the flag free and claims it under the helper's lock, and
// tells its caller by a local flag it sets by reference; the caller owns
// what the protocol guards where that local flag tested true. Broken forms
// stay reported.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
#include <mutex>
#include <thread>
#include <vector>

// The protocol, through a locking helper: not reported.
class Guards {
  std::mutex m_;
  enum class Status { idle, stopping, stopped } status_ = Status::idle;
  std::vector<int> guards_;
  std::vector<int> to_stop_;
  template <class F> auto locked(F f) {
    std::lock_guard<std::mutex> g(m_);
    return f();
  }

public:
  bool add(int g) {
    return locked([&] {
      if (status_ != Status::idle)
        return false;
      if (guards_.size() + 1 > to_stop_.capacity())
        to_stop_.reserve(to_stop_.capacity() * 2 + 1);
      guards_.push_back(g);
      return true;
    });
  }
  void stop() {
    bool mine = false;
    locked([&] {
      if (status_ == Status::idle) {
        to_stop_ = guards_;
        status_ = Status::stopping;
        mine = true;
      }
    });
    if (mine) {
      for (int g : to_stop_) // owned by this call
        (void)g;
      to_stop_.clear();
    }
    locked([&] { status_ = Status::stopped; });
  }
};

// The local flag is set whether or not the claim was made: reported.
class SetAnyway {
  std::mutex m_;
  enum class Status { idle, stopping } status_ = Status::idle;
  std::vector<int> guards_, to_stop_;
  template <class F> void locked(F f) {
    std::lock_guard<std::mutex> g(m_);
    f();
  }

public:
  void add(int g) {
    locked([&] {
      if (status_ != Status::idle)
        return;
      to_stop_.reserve(to_stop_.capacity() + 1); // CHECK-NOTE: 'to_stop_' is modified under 'm_' here
      guards_.push_back(g);
    });
  }
  void stop() {
    bool mine = false;
    locked([&] {
      if (status_ == Status::idle) {
        to_stop_ = guards_;
        status_ = Status::stopping;
      }
      mine = true;
    });
    if (mine)
      to_stop_.clear(); // CHECK-WARN: container 'to_stop_' is modified without holding 'm_', which guards its other accesses
  }
};

// The lambda gives the flag back before it returns: reported.
class GivenBack {
  std::mutex m_;
  bool busy_ = false;
  std::vector<int> queue_, current_;
  template <class F> void locked(F f) {
    std::lock_guard<std::mutex> g(m_);
    f();
  }

public:
  void push(int v) {
    locked([&] {
      if (busy_)
        return;
      current_.push_back(v); // CHECK-NOTE: 'current_' is modified under 'm_' here
      queue_.push_back(v);
    });
  }
  void flush() {
    bool mine = false;
    locked([&] {
      if (!busy_) {
        current_.swap(queue_);
        busy_ = true;
        mine = true;
        busy_ = false;
      }
    });
    if (mine)
      current_.clear(); // CHECK-WARN: container 'current_' is modified without holding 'm_', which guards its other accesses
  }
};

// The caller sets the local flag itself too: reported.
class CallerSets {
  std::mutex m_;
  bool busy_ = false;
  std::vector<int> queue_, current_;
  template <class F> void locked(F f) {
    std::lock_guard<std::mutex> g(m_);
    f();
  }

public:
  void push(int v) {
    locked([&] {
      if (busy_)
        return;
      current_.push_back(v); // CHECK-NOTE: 'current_' is modified under 'm_' here
      queue_.push_back(v);
    });
  }
  void flush(bool force) {
    bool mine = false;
    locked([&] {
      if (!busy_) {
        current_.swap(queue_);
        busy_ = true;
        mine = true;
      }
    });
    if (force)
      mine = true;
    if (mine)
      current_.clear(); // CHECK-WARN: container 'current_' is modified without holding 'm_', which guards its other accesses
  }
};

// The helper does not lock: the flag is tested without the lock, nothing
// is claimed: reported.
class NoLockHelper {
  std::mutex m_;
  bool busy_ = false;
  std::vector<int> queue_, current_;
  template <class F> void run(F f) { f(); }

public:
  void push(int v) {
    std::lock_guard<std::mutex> g(m_);
    if (busy_)
      return;
  // CHECK-NOTE@+1: conflicting modification on another thread under 'm_'
    current_.push_back(v); // CHECK-NOTE: conflicting modification on another thread under 'm_'
    queue_.push_back(v);
  }
  void flush() {
    bool mine = false;
    run([&] {
      if (!busy_) {
        current_.swap(queue_); // CHECK-WARN: container 'current_' is modified without holding 'm_' while another thread modifies it
        busy_ = true;
        mine = true;
      }
    });
    if (mine)
      current_.clear(); // CHECK-WARN: container 'current_' is modified without holding 'm_' while another thread modifies it
  }
};

int main() {
  Guards g;
  SetAnyway s;
  GivenBack b;
  CallerSets c;
  NoLockHelper n;
  std::thread t([&] {
    g.add(1);
    s.add(1);
    b.push(1);
    c.push(1);
    n.push(1);
  });
  g.stop();
  s.stop();
  b.flush();
  c.flush(true);
  n.flush();
  t.join();
}

