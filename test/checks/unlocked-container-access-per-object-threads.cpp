// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// One thread per object, in one translation unit: a thread-local "current
// object" pointer that each object's own thread sets to `this` (and nothing
// sets but to null) holds, on each thread, that thread's own object. The
// threads of a task started in a loop reach through it their own objects,
// never one another's. Still reported: a thread-local pointer some thread
// gives a shared object, and a plain global pointer to a shared object.
// (The link of pitfall-scan judges the starts across translation units:
// test/scan/whole-program-per-object-threads.test.)
#include <map>
#include <set>
#include <thread>

class Sched;
thread_local Sched *g_cur = nullptr;

class Sched {
public:
  void start() { std::thread(&Sched::loop, this).detach(); }
  void add(int v) { timers_.insert(v); } // CHECK-WARN: container 'timers_' is modified without a lock while another thread modifies it

private:
  void loop() {
    g_cur = this;
    for (;;)
      if (!timers_.empty())
        timers_.erase(timers_.begin());
    g_cur = nullptr;
  }
  std::set<int> timers_;
};

// Each waiter reaches its own thread's scheduler (none, off a scheduler
// thread): no race between the waiters.
void spawnWaiters() {
  for (int i = 0; i < 4; ++i)
    std::thread([] {
      if (g_cur)
        g_cur->add(1);
    }).detach();
}

// A thread-local pointer another thread gives a shared object.
class Shared;
thread_local Shared *t_shared = nullptr;
Shared *g_first = nullptr;
class Shared {
public:
  void add(int v) { items_[v] = v; } // CHECK-WARN: container 'items_' is modified without a lock while another thread modifies it
  std::map<int, int> items_;
};
void spawnAdopters() {
  for (int i = 0; i < 4; ++i)
    std::thread([] { // CHECK-NOTE: the thread is started in a loop and runs concurrently with itself
      t_shared = g_first;
      t_shared->add(1);
    }).detach();
}

// A plain global pointer: every thread reaches the same object.
Sched *g_sched = nullptr;
void spawnShared() {
  for (int i = 0; i < 4; ++i)
    std::thread([] { g_sched->add(2); }).detach(); // CHECK-NOTE: the thread is started in a loop and runs concurrently with itself
}
