// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Member rule through a pointer member: a container member of the object a
// data member points to (`state->q`, the member a std::shared_ptr, a
// std::unique_ptr or a raw pointer), guarded by a mutex member of that same
// object (`state->lock`), is judged in the class that holds the pointer, per
// (pointer member, container member), as a direct member is. RxCpp's run
// loop (fixed race 7c79c18): `peek()` read `state->q` without `state->lock`,
// which `schedule()` and `dispatch()` hold. Only a pointer member of `this`
// is followed, not a local or a parameter pointing to the same object.
#include <deque>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

struct RunLoopState {
  std::mutex lock;
  std::priority_queue<int> q;
};

class RunLoop {
public:
  RunLoop() : state(std::make_shared<RunLoopState>()) {}
  // The status query the default leaves out (ReportUnlockedEmptinessChecks).
  bool empty() const { return state->q.empty(); }
  // No fix: the mutex is another object's member.
  int peek() const { return state->q.top(); } // CHECK-WARN: container 'q' is read without holding 'lock', which guards its other accesses
  void dispatch() const {
    std::unique_lock<std::mutex> guard(state->lock);
    if (state->q.empty())
      return;
    state->q.pop(); // CHECK-NOTE: 'q' is modified under 'lock' here
  }
  void schedule(int v) const {
    std::unique_lock<std::mutex> guard(state->lock);
    state->q.push(v);
  }

private:
  std::shared_ptr<RunLoopState> state;
};

void runLoop(RunLoop &rl) {
  std::thread t([&rl] { rl.schedule(1); });
  while (!rl.empty())
    rl.dispatch();
  t.join();
}

struct Shared {
  std::mutex m;
  std::deque<int> items;
};

// A raw pointer member to an object another owner shares.
class View {
public:
  explicit View(Shared *s) : s_(s) {}
  void add(int v) {
    std::lock_guard<std::mutex> g(s_->m);
    s_->items.push_back(v); // CHECK-NOTE: 'items' is modified under 'm' here
  }
  void trim() {
    std::lock_guard<std::mutex> g(s_->m);
    if (!s_->items.empty())
      s_->items.pop_front();
  }
  void clear() { s_->items.clear(); } // CHECK-WARN: container 'items' is modified without holding 'm', which guards its other accesses

private:
  Shared *s_;
};

// RxCpp's own shape: the queue is a project's wrapper around a
// std::priority_queue over its container_type; the only locked member
// function of the class is dispatch() (the producers lock through a
// weak_ptr local of another class, not followed), and the unlocked status
// query `empty()` is no sign that the queue is confined to one thread.
template <class T> class ScheduleQueue {
public:
  typedef std::pair<T, long> elem_type;
  typedef std::vector<elem_type> container_type;

private:
  std::priority_queue<elem_type, container_type> q;
  long ordinal = 0;

public:
  const T &top() const { return q.top().first; }
  void pop() { q.pop(); }
  bool empty() const { return q.empty(); }
  void push(const T &v) { q.push(elem_type(v, ordinal++)); }
};

struct LoopState {
  std::mutex lock;
  ScheduleQueue<int> q;
};

class Loop {
public:
  Loop() : state(std::make_shared<LoopState>()) {}
  bool empty() const { return state->q.empty(); }
  const int &peek() const { return state->q.top(); } // CHECK-WARN: container 'q' is read without holding 'lock', which guards its other accesses
  void dispatch() const {
    std::unique_lock<std::mutex> guard(state->lock);
    if (state->q.empty())
      return;
    state->q.pop(); // CHECK-NOTE: 'q' is modified under 'lock' here
    guard.unlock();
  }
  std::weak_ptr<LoopState> weak() const { return state; }

private:
  std::shared_ptr<LoopState> state;
};

void schedule(std::weak_ptr<LoopState> w, int v) {
  auto st = w.lock();
  std::unique_lock<std::mutex> guard(st->lock);
  st->q.push(v);
}

//===--- negative cases ---------------------------------------------------===//

// Every access of the pointee's container holds the pointee's mutex.
class LockedView {
public:
  explicit LockedView(std::shared_ptr<Shared> s) : s_(std::move(s)) {}
  void add(int v) {
    std::lock_guard<std::mutex> g(s_->m);
    s_->items.push_back(v);
  }
  int first() {
    std::lock_guard<std::mutex> g(s_->m);
    return s_->items.empty() ? 0 : s_->items.front();
  }
  void clear() {
    std::unique_lock<std::mutex> g(s_->m);
    s_->items.clear();
  }
  // Another object of the class, named by a parameter: not followed.
  void clearOther(Shared *other) { other->items.clear(); }

private:
  std::shared_ptr<Shared> s_;
};

// Two pointer members to objects of one class are two objects: `mine_`'s
// container, which one thread owns, is not judged by `shared_`'s lock.
class TwoStates {
public:
  void post(int v) {
    std::lock_guard<std::mutex> g(shared_->m);
    shared_->items.push_back(v);
  }
  void take() {
    std::lock_guard<std::mutex> g(shared_->m);
    shared_->items.clear();
  }
  void local(int v) { mine_->items.push_back(v); }

private:
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::unique_ptr<Shared> mine_ = std::make_unique<Shared>();
};

// The pointer member reassigned to a fresh object that the function fills
// before anything else: no other thread reaches the new object's container
// through the old pointer it holds.
class Restart {
public:
  void add(int v) {
    std::lock_guard<std::mutex> g(state_->m);
    state_->items.push_back(v);
  }
  void drop() {
    std::lock_guard<std::mutex> g(state_->m);
    state_->items.clear();
  }
  void reset(int first) {
    state_ = std::make_shared<Shared>();
    state_->items.push_back(first);
    state_->items.push_back(first + 1);
  }

private:
  std::shared_ptr<Shared> state_ = std::make_shared<Shared>();
};
