// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Container adapters (std::queue, std::priority_queue, std::stack, and any
// class that declares a `container_type` and holds a member of it) are
// containers: push, pop, emplace and swap modify them; top, front, back,
// size and empty read them. The run loop of RxCpp's fixed race (7c79c18):
// `peek()` read the priority queue without the lock `schedule()` and
// `dispatch()` hold.
#include <deque>
#include <mutex>
#include <queue>
#include <stack>
#include <thread>
#include <vector>

class RunLoop {
public:
  // The status query the default leaves out (ReportUnlockedEmptinessChecks).
  bool empty() const { return q_.empty(); }
  // CHECK-WARN@+2: container 'q_' is read without holding 'lock_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'lock_' for this statement
  int peek() const { return q_.top(); }
  // CHECK-FIX: int peek() const { std::scoped_lock lock(lock_); return q_.top(); }
  void dispatch() {
    std::unique_lock<std::mutex> guard(lock_);
    if (q_.empty())
      return;
    q_.pop(); // CHECK-NOTE: 'q_' is modified under 'lock_' here
  }
  void schedule(int v) {
    std::unique_lock<std::mutex> guard(lock_);
    q_.push(v);
  }

private:
  mutable std::mutex lock_;
  std::priority_queue<int> q_;
};

void runLoop(RunLoop &rl) {
  std::thread t([&rl] { rl.schedule(1); });
  while (!rl.empty())
    rl.dispatch();
  t.join();
}

class Inbox {
public:
  void post(int v) {
    std::lock_guard<std::mutex> g(m_);
    q_.emplace(v); // CHECK-NOTE: 'q_' is modified under 'm_' here
  }
  int take() {
    std::lock_guard<std::mutex> g(m_);
    int v = q_.front();
    q_.pop();
    return v;
  }
  // CHECK-WARN@+2: container 'q_' is modified without holding 'm_'
  // CHECK-NOTE@+1: hold 'm_' for this statement
  void drop() { q_.pop(); }
  // CHECK-FIX: void drop() { std::scoped_lock lock(m_); q_.pop(); }

private:
  std::mutex m_;
  std::queue<int> q_;
};

class Undo {
public:
  void record(int v) {
    std::lock_guard<std::mutex> g(m_);
    s_.push(v); // CHECK-NOTE: 's_' is modified under 'm_' here
  }
  void undo() {
    std::lock_guard<std::mutex> g(m_);
    s_.pop();
  }
  // CHECK-WARN@+2: container 's_' is read without holding 'm_'
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int last() { return s_.top(); }
  // CHECK-FIX: int last() { std::scoped_lock lock(m_); return s_.top(); }

private:
  std::mutex m_;
  std::stack<int, std::vector<int>> s_;
};

// A project's own adapter: it declares its container_type and holds one.
template <class T, class C = std::deque<T>> class Ring {
public:
  using container_type = C;
  void push(T v) { c_.push_back(v); }
  void pop() { c_.pop_front(); }
  const T &front() const { return c_.front(); }
  bool empty() const { return c_.empty(); }

private:
  C c_;
};

class Events {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(m_);
    ring_.push(v); // CHECK-NOTE: 'ring_' is modified under 'm_' here
  }
  void consume() {
    std::lock_guard<std::mutex> g(m_);
    ring_.pop();
  }
  // CHECK-WARN@+2: container 'ring_' is read without holding 'm_'
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return ring_.front(); }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return ring_.front(); }

private:
  std::mutex m_;
  Ring<int> ring_;
};

//===--- negative cases ---------------------------------------------------===//

// Every access holds the lock.
class LockedQueue {
public:
  void push(int v) {
    std::lock_guard<std::mutex> g(m_);
    q_.push(v);
  }
  bool tryPop(int &v) {
    std::lock_guard<std::mutex> g(m_);
    if (q_.empty())
      return false;
    v = q_.front();
    q_.pop();
    return true;
  }

private:
  std::mutex m_;
  std::queue<int> q_;
};

// A queue of the worker's own, filled from the shared one under the lock.
class Worker {
public:
  void post(int v) {
    std::lock_guard<std::mutex> g(m_);
    shared_.push_back(v);
  }
  void run() {
    {
      std::lock_guard<std::mutex> g(m_);
      for (int v : shared_)
        mine_.push(v);
      shared_.clear();
    }
    while (!mine_.empty())
      mine_.pop();
  }

private:
  std::mutex m_;
  std::vector<int> shared_;
  std::priority_queue<int> mine_;
};

// A class that guards its own container is not an adapter to guard from
// outside: it locks a mutex of its own.
template <class T> class ConcurrentQueue {
public:
  using container_type = std::deque<T>;
  void push(T v) {
    std::lock_guard<std::mutex> g(m_);
    c_.push_back(v);
  }
  bool empty() const {
    std::lock_guard<std::mutex> g(m_);
    return c_.empty();
  }

private:
  mutable std::mutex m_;
  container_type c_;
};

class Hub {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(m_);
    q_.push(v);
    ++n_;
  }
  void addFast(int v) { q_.push(v); }

private:
  std::mutex m_;
  ConcurrentQueue<int> q_;
  int n_ = 0;
};
