// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20 -I %S/Inputs/lent-locals
// A callable held by a local object (a delegate bound to it by reference)
// and lent, by reference or pointer, to a function whose body is not seen
// (a library's entry point) runs, if at all, before the caller returns: the
// function cannot keep the local, which dies with the caller. Such a call
// is a call, not a task start, whatever its name (`execute` is in
// EscapeFunctions), and so is a project's function that does it with the
// callable it is given (oneTBB's `task_arena::execute`). A callable copied
// into a heap object handed to such a function (`enqueue`), a local the
// function sees as a copyable callable (`const std::function<void()> &`),
// and pthread_create are still starts.
#include "arena.h"
#include <pthread.h>
#include <vector>

// Run in the arena before execute() returns: one thread's accesses.
struct Executed {
  void run() {
    for (int i = 0; i != 3; ++i) {
      arena_.execute([this] { seen_.push_back(1); });
      seen_.clear();
    }
  }
  lib::arena arena_;
  std::vector<int> seen_;
};

// A delegate of the caller's own, lent to the library's execute(): a call.
std::vector<int> g_pushed;
struct Pusher : lib::delegate_base {
  bool operator()() const override {
    g_pushed.push_back(1);
    return true;
  }
};
void delegated(lib::arena &a) {
  Pusher p;
  lib::r1::execute(a, p);
  g_pushed.clear();
}

// Copied into a task on the heap: the library may run it after enqueue()
// returns, on another thread.
struct Enqueued {
  void run() {
    arena_.enqueue([this] { seen_.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
    seen_.clear(); // CHECK-WARN: container 'seen_' is modified without a lock while another thread modifies it
  }
  lib::arena arena_;
  std::vector<int> seen_;
};

// Lent as a std::function: the library can keep a copy of it.
struct Posted {
  void run() {
    arena_.post([this] { seen_.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
    seen_.clear(); // CHECK-WARN: container 'seen_' is modified without a lock while another thread modifies it
  }
  lib::arena arena_;
  std::vector<int> seen_;
};

// A local handed to pthread_create: a thread start all the same.
std::vector<int> g_seen;
struct Job {
  int n;
};
static void *entry(void *) {
  g_seen.push_back(1); // CHECK-NOTE: conflicting modification on another thread
  return nullptr;
}
void startWithLocal() {
  Job job{1};
  pthread_t t;
  pthread_create(&t, nullptr, entry, &job);
  g_seen.clear(); // CHECK-WARN: container 'g_seen' is modified without a lock while another thread modifies it
  pthread_join(t, nullptr);
}
