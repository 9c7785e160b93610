// Assigning to a std::thread that may still be joinable calls std::terminate.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <thread>
#include <utility>

void work();
bool ready() noexcept;

void reassignedWhileJoinable() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  t = std::thread(work); // CHECK-WARN: thread 't' is assigned to while it may be joinable (std::terminate is called)
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

void reassignedOnOnePath(bool b) {
  std::thread t;
  if (b)
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
  t = std::thread(work); // CHECK-WARN: thread 't' is assigned to while it may be joinable
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

void moveAssignedWhileJoinable() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  std::thread u(work);
  t = std::move(u); // CHECK-WARN: thread 't' is assigned to while it may be joinable
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

void reassignedInLoop(int n) {
  std::thread t;
  for (int i = 0; i < n; ++i)
    t = std::thread(work); // CHECK-WARN: thread 't' is assigned to while it may be joinable
  // CHECK-NOTE@-1: thread 't' started here
  // CHECK-NOTE@-2: join or detach 't' before this point
  if (t.joinable())
    t.join();
}

// ---------------------------------------------------------------- negatives

void assignedOnce() {
  std::thread t;
  t = std::thread(work);
  t.join();
}

void joinedBeforeReassignment() {
  std::thread t(work);
  t.join();
  t = std::thread(work);
  t.join();
}

void guardedReassignment(int n) {
  std::thread t;
  for (int i = 0; i < n; ++i) {
    if (t.joinable())
      t.join();
    t = std::thread(work);
  }
  if (t.joinable())
    t.join();
}

void moveAssignedFromStarted() {
  std::thread t;
  std::thread u(work);
  t = std::move(u);
  t.join();
}

void jthreadReassigned() {
  std::jthread t(work);
  t = std::jthread(work);
}
