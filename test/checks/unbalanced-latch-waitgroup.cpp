// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// WaitGroup-like classes (Go's sync.WaitGroup).
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

// A typical hand-written WaitGroup, snake_case.
class WaitGroup {
public:
  void add(int n = 1) {
    std::lock_guard<std::mutex> g(m_);
    count_ += n;
  }
  void done() {
    std::lock_guard<std::mutex> g(m_);
    if (--count_ == 0)
      cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [this] { return count_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int count_ = 0;
};

// The same in Go's case style.
namespace app {
struct GoStyleWaitGroup {
  void Add(int n);
  void Done();
  void Wait();
};
} // namespace app

// The name in other case styles: wait_group, waitgroup, Wait_Group.
namespace co {
class wait_group {
public:
  void add(unsigned n = 1) const;
  void done() const;
  void wait() const;

private:
  void *_p;
};
} // namespace co
struct Wait_Group {
  void Add(int);
  void Done();
  void Wait();
};

// Named like a WaitGroup but without the operations: not one.
struct WaitGroupStats {
  void add(int);
  int total() const;
};

bool failed(int);
void work(int);

// SA2000: Add inside the goroutine.
void add_inside(int n) {
  WaitGroup wg; // CHECK-NOTE: 'wg' declared here
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&wg, i] { // CHECK-NOTE: worker started here; call add() before starting it
      wg.add(1); // CHECK-WARN: WaitGroup 'wg' is incremented inside the worker it waits for; wait() can return before the worker has started
      work(i);
      wg.done();
    });
  wg.wait();
  for (auto &t : ts)
    t.join();
}

void go_style(app::GoStyleWaitGroup &wg) { // CHECK-NOTE: 'wg' declared here
  std::thread t([&wg] { // CHECK-NOTE: worker started here; call add() before starting it
    wg.Add(1); // CHECK-WARN: WaitGroup 'wg' is incremented inside the worker it waits for; wait() can return before the worker has started
    defer_like_done:
    wg.Done();
  });
  wg.Wait();
  t.join();
}

void snake_case(co::wait_group &wg) { // CHECK-NOTE: 'wg' declared here
  std::thread t([&wg] { // CHECK-NOTE: worker started here; call add() before starting it
    wg.add(1); // CHECK-WARN: WaitGroup 'wg' is incremented inside the worker it waits for; wait() can return before the worker has started
    wg.done();
  });
  wg.wait();
  t.join();
}

void underscored(Wait_Group &wg) { // CHECK-NOTE: 'wg' declared here
  std::thread t([&wg] { // CHECK-NOTE: worker started here; call add() before starting it
    wg.Add(1); // CHECK-WARN: WaitGroup 'wg' is incremented inside the worker it waits for; wait() can return before the worker has started
    wg.Done();
  });
  wg.Wait();
  t.join();
}

// A missing Done on the error path.
void missing_done(int n) {
  WaitGroup wg; // CHECK-NOTE: 'wg' declared here
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    ts.emplace_back([&wg, i] {
      if (failed(i))
        return; // CHECK-WARN: worker returns without calling done on WaitGroup 'wg' on this path
      // CHECK-NOTE@-1: call done from a scope guard (a local object whose destructor does it) so that every path does
      work(i);
      wg.done(); // CHECK-NOTE: other paths call done here
    });
  }
  wg.wait();
  for (auto &t : ts)
    t.join();
}

// Done twice: the counter goes negative (Go panics).
void done_twice() {
  WaitGroup wg; // CHECK-NOTE: 'wg' declared here
  wg.add(1);
  std::thread t([&] {
    wg.done(); // CHECK-NOTE: previous done on the same path here
    work(0);
    wg.done(); // CHECK-WARN: worker calls done on WaitGroup 'wg' more than once on this path
  });
  wg.wait();
  t.join();
}

//===--- Balanced: not flagged ---------------------------------------------===//

void add_before_start(int n) {
  WaitGroup wg;
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    ts.emplace_back([&wg, i] {
      if (failed(i)) {
        wg.done();
        return;
      }
      work(i);
      wg.done();
    });
  }
  wg.wait();
  for (auto &t : ts)
    t.join();
}

// A worker that adds for the sub-workers it starts itself.
void nested_spawn(WaitGroup &wg) {
  wg.add(1);
  std::thread t([&wg] {
    wg.add(1);
    std::thread inner([&wg] { wg.done(); });
    inner.detach();
    wg.done();
  });
  t.detach();
}

// A group local to the worker.
void local_group() {
  std::thread t([] {
    WaitGroup inner;
    inner.add(1);
    std::thread u([&] { inner.done(); });
    inner.wait();
    u.join();
  });
  t.join();
}

void not_a_waitgroup(WaitGroupStats &s) {
  std::thread t([&] { s.add(1); });
  t.join();
}

// A function worker started from two places is reported once.
void adds_itself(WaitGroup &wg) {
  wg.add(1); // CHECK-WARN: WaitGroup 'wg' is incremented inside the worker it waits for; wait() can return before the worker has started
  work(0);
  wg.done();
}
void spawn_a(WaitGroup &wg) { // CHECK-NOTE: 'wg' declared here
  std::thread t(adds_itself, std::ref(wg)); // CHECK-NOTE: worker started here; call add() before starting it
  wg.wait();
  t.join();
}
void spawn_b(WaitGroup &wg) {
  std::thread t(adds_itself, std::ref(wg));
  wg.wait();
  t.join();
}
