// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A claim's owner that gives the flag a value it does not know (`mode =
// end;`, a parameter) or its free value back while it still holds the mutex
// the flag was tested under is left as a function that tested the flag free
// under that mutex: whatever the value, no other code owns the flag before
// the mutex is released. RxCpp's observe_on: the drain, a lambda handed to
// a coordinator from inside another lambda and scheduled on a worker, owns
// the drain queue while the mode is Processing; `finish(guard, end)`,
// called under the lock by the owner (before it hands the drain over, from
// the drain, from the drain's handler), stores the end state and swaps the
// queues out under the lock.
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

void deliver(int v);
bool alive();
struct Worker {
  void schedule(std::function<void()> f);
};
struct Coordinator {
  template <class F> std::function<void()> act(F f) {
    return [f] { f(); };
  }
  Worker get_worker();
};
template <class F> auto on_exception(F f) { return f(); }
template <class F> struct Unwind {
  F f;
  ~Unwind() { f(); }
};
template <class F> Unwind<F> unwind(F f) { return Unwind<F>{f}; }

// 1. RxCpp's shape: not reported.
struct ObserveOnState : std::enable_shared_from_this<ObserveOnState> {
  enum class Mode { Invalid, Processing, Empty, Disposed, Errored };
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock);
    if (mode == Mode::Errored || mode == Mode::Disposed)
      return;
    fill.push_back(v);
    ensure_processing(guard);
  }
  void finish(std::unique_lock<std::mutex> &guard, Mode end) {
    if (mode == Mode::Errored || mode == Mode::Disposed)
      return;
    mode = end;
    std::deque<int> a, b;
    swap(a, fill);
    swap(b, drain_q);
    auto relock = unwind([&]() { guard.lock(); });
    guard.unlock();
  }
  void ensure_processing(std::unique_lock<std::mutex> &guard) {
    if (mode == Mode::Empty) {
      mode = Mode::Processing;
      if (!alive() && fill.empty() && drain_q.empty())
        finish(guard, Mode::Disposed);
      auto keepAlive = this->shared_from_this();
      auto drain = [keepAlive, this]() {
        try {
          for (;;) {
            if (drain_q.empty() || !alive()) {
              std::unique_lock<std::mutex> guard(lock);
              if (!alive()) {
                finish(guard, Mode::Disposed);
                return;
              }
              if (drain_q.empty()) {
                if (fill.empty()) {
                  mode = Mode::Empty;
                  return;
                }
                swap(fill, drain_q);
              }
            }
            int v = drain_q.front();
            drain_q.pop_front();
            deliver(v);
          }
        } catch (...) {
          std::unique_lock<std::mutex> guard(lock);
          finish(guard, Mode::Errored);
        }
      };
      auto selected = on_exception([&]() { return coordinator.act(drain); });
      if (!selected) {
        finish(guard, Mode::Errored);
        return;
      }
      auto w = coordinator.get_worker();
      auto relock = unwind([&]() { guard.lock(); });
      guard.unlock();
      w.schedule(selected);
    }
  }
  std::mutex lock;
  std::deque<int> fill, drain_q;
  Mode mode = Mode::Empty;
  Coordinator coordinator;
};

// 2. Without the mode test two drains may run: reported.
struct NoModeTest : std::enable_shared_from_this<NoModeTest> {
  enum class Mode { Processing, Empty, Disposed };
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock);
    fill.push_back(v);
    ensure_processing(guard);
  }
  void finish(std::unique_lock<std::mutex> &guard, Mode end) {
    mode = end;
    std::deque<int> a, b;
    swap(a, fill);
    swap(b, drain_q); // CHECK-NOTE: 'drain_q' is modified under 'lock' here
    // CHECK-NOTE@-1: 'drain_q' is modified under 'lock' here
    // CHECK-NOTE@-2: 'drain_q' is modified under 'lock' here
  }
  void ensure_processing(std::unique_lock<std::mutex> &guard) {
    mode = Mode::Processing;
    auto drain = [this]() {
      for (;;) {
        if (drain_q.empty()) { // CHECK-WARN: container 'drain_q' is read without holding 'lock', which guards its other accesses
          std::unique_lock<std::mutex> guard(lock);
          if (!alive()) {
            finish(guard, Mode::Disposed);
            return;
          }
          if (drain_q.empty()) {
            if (fill.empty()) {
              mode = Mode::Empty;
              return;
            }
            swap(fill, drain_q);
          }
        }
        int v = drain_q.front(); // CHECK-WARN: container 'drain_q' is read without holding 'lock'
        drain_q.pop_front(); // CHECK-WARN: container 'drain_q' is modified without holding 'lock'
        deliver(v);
      }
    };
    auto selected = on_exception([&]() { return coordinator.act(drain); });
    auto w = coordinator.get_worker();
    guard.unlock();
    w.schedule(selected);
    guard.lock();
  }
  std::mutex lock;
  std::deque<int> fill, drain_q;
  Mode mode = Mode::Empty;
  Coordinator coordinator;
};

// 3. `finish` also called by a function that owns no claim (it does not
// test the mode first): its swap under the lock races with the running
// drain's unlocked accesses: reported.
struct DisposeWithoutClaim : std::enable_shared_from_this<DisposeWithoutClaim> {
  enum class Mode { Processing, Empty, Disposed };
  void on_next(int v) {
    std::unique_lock<std::mutex> guard(lock);
    fill.push_back(v);
    ensure_processing(guard);
  }
  void dispose() {
    std::unique_lock<std::mutex> guard(lock);
    finish(guard, Mode::Disposed);
  }
  void finish(std::unique_lock<std::mutex> &guard, Mode end) {
    mode = end;
    std::deque<int> a, b;
    swap(a, fill);
    swap(b, drain_q); // CHECK-NOTE: 'drain_q' is modified under 'lock' here
    // CHECK-NOTE@-1: 'drain_q' is modified under 'lock' here
    // CHECK-NOTE@-2: 'drain_q' is modified under 'lock' here
  }
  void ensure_processing(std::unique_lock<std::mutex> &guard) {
    if (mode != Mode::Empty)
      return;
    mode = Mode::Processing;
    auto drain = [this]() {
      for (;;) {
        if (drain_q.empty()) { // CHECK-WARN: container 'drain_q' is read without holding 'lock', which guards its other accesses
          std::unique_lock<std::mutex> guard(lock);
          if (drain_q.empty()) {
            if (fill.empty()) {
              mode = Mode::Empty;
              return;
            }
            swap(fill, drain_q);
          }
        }
        int v = drain_q.front(); // CHECK-WARN: container 'drain_q' is read without holding 'lock'
        drain_q.pop_front(); // CHECK-WARN: container 'drain_q' is modified without holding 'lock'
        deliver(v);
      }
    };
    auto selected = on_exception([&]() { return coordinator.act(drain); });
    guard.unlock();
    coordinator.get_worker().schedule(selected);
    guard.lock();
  }
  std::mutex lock;
  std::deque<int> fill, drain_q;
  Mode mode = Mode::Empty;
  Coordinator coordinator;
};
