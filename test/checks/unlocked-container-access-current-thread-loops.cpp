// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// The current-loop idiom: an event loop each thread makes for itself and
// keeps in a thread-local (`Loop::get()` returning the thread's own, lazily
// created), run by that thread. What a thread posts to its own loop runs
// later on that same thread, not concurrently with it: the loop reached
// through a `thread_local` (the variable, a member of it, what a pointer
// in it points to), through a function every `return` of which returns
// such an object, or through a local pointer initialised from one and
// never changed. A loop shared by all threads (a global), a thread-local
// pointer to an executor with threads of its own (a pool), and a local
// pointer reassigned to another loop are still reported.
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct Loop {
  std::mutex m;
  std::vector<std::function<void()>> q;
  void defer(std::function<void()> f) {
    std::lock_guard<std::mutex> l(m);
    q.push_back(std::move(f));
  }
  void drain() {
    std::vector<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> l(m);
      batch.swap(q);
    }
    for (auto &f : batch)
      f();
  }
  struct Holder {
    Loop *loop = nullptr;
  };
  static Holder &lazy() {
    static thread_local Holder h;
    return h;
  }
  // Every return is the thread's own loop; the parameter changes nothing.
  static Loop *get(void *native = nullptr) {
    if (!lazy().loop)
      lazy().loop = new Loop;
    return lazy().loop;
  }
};

thread_local Loop ownLoop;
thread_local std::unique_ptr<Loop> ownLoopPtr;
Loop &current() { return ownLoop; }

//===--- negative cases ---------------------------------------------------===//

std::vector<int> buffer;

void deferToOwnLoop() {
  buffer.push_back(1);
  Loop::get()->defer([] { buffer.push_back(2); });
  buffer.clear();
}

void deferThroughLocal() {
  buffer.push_back(1);
  Loop *loop = Loop::get();
  loop->defer([] { buffer.push_back(2); });
  buffer.clear();
}

void deferThroughReference() {
  Loop &loop = current();
  loop.defer([] { buffer.push_back(3); });
  buffer.clear();
}

void deferToThreadLocalObject() {
  ownLoop.defer([] { buffer.push_back(4); });
  ownLoopPtr->defer([] { buffer.push_back(5); });
  buffer.clear();
}

// Two tasks on the thread's own loop run one after the other.
std::vector<int> pending;
void twoOnOwnLoop() {
  Loop::get()->defer([] { pending.push_back(1); });
  Loop::get()->defer([] { pending.clear(); });
}

//===--- positive cases ---------------------------------------------------===//

Loop sharedLoop;
std::vector<int> shared;
void deferToSharedLoop() {
  sharedLoop.defer([] { shared.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  shared.clear(); // CHECK-WARN: container 'shared' is modified without a lock while another thread modifies it
}

// A pool has threads of its own: what it runs is not on the poster's
// thread, even when the poster reaches it through a thread-local.
struct Pool {
  std::vector<std::thread> workers;
  std::mutex m;
  std::vector<std::function<void()>> q;
  void post(std::function<void()> f) {
    std::lock_guard<std::mutex> l(m);
    q.push_back(std::move(f));
  }
};
thread_local Pool *myPool = nullptr;
std::vector<int> pooled;
void postToPool() {
  myPool->post([] { pooled.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  pooled.clear(); // CHECK-WARN: container 'pooled' is modified without a lock while another thread modifies it
}

// The local pointer is given another loop: not known to be the thread's.
std::vector<int> moved;
void reassignedLocal(Loop *other) {
  Loop *loop = Loop::get();
  loop = other;
  loop->defer([] { moved.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  moved.clear(); // CHECK-WARN: container 'moved' is modified without a lock while another thread modifies it
}

// A thread of its own: the thread it starts runs concurrently with the
// poster's task on the poster's loop.
std::vector<int> mixed;
void threadAndOwnLoop() {
  Loop::get()->defer([] { mixed.push_back(1); }); // CHECK-WARN: container 'mixed' is modified without a lock while another thread modifies it
  std::thread t([] { mixed.clear(); }); // CHECK-NOTE: conflicting modification on another thread
  t.join();
}
