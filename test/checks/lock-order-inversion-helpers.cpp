// RUN: %check_tidy %s pitfall-lock-order-inversion -- -std=c++20
// Orders taken through helpers that receive the mutexes as arguments, a
// project's own RAII guard, and a task started in a loop (concurrent with
// itself); with their safe counterparts.
#include <future>
#include <mutex>
#include <thread>
#include <vector>

// --- a helper given the mutexes: the order is the caller's arguments' -------
namespace args {
std::mutex x, y;

void lockBoth(std::mutex &first, std::mutex &second) {
  std::lock_guard<std::mutex> a(first); // CHECK-NOTE: 'x' acquired here
  std::lock_guard<std::mutex> b(second); // CHECK-NOTE: 'y' is acquired here, in 'lockBoth'
  // CHECK-NOTE@-1: 'x' is acquired here, in 'lockBoth'
}

void run() {
  auto f1 = std::async(std::launch::async, [] { lockBoth(x, y); }); // CHECK-WARN: mutex 'y' is acquired while holding 'x', and another thread acquires them in the opposite order
  // CHECK-NOTE@-1: on the thread started here
  auto f2 = std::async(std::launch::async, [] { lockBoth(y, x); }); // CHECK-NOTE: 'x' is acquired while holding 'y' here
  // CHECK-NOTE@-1: on the thread started here
  f1.get();
  f2.get();
}
} // namespace args

// --- the same helper always given one order: safe ---------------------------
namespace args_consistent {
std::mutex x, y;
void lockBoth(std::mutex &first, std::mutex &second) {
  std::lock_guard<std::mutex> a(first);
  std::lock_guard<std::mutex> b(second);
}
void run() {
  std::jthread t1([] { lockBoth(x, y); });
  std::jthread t2([] { lockBoth(x, y); });
}
} // namespace args_consistent

// --- a project's own RAII guard, recognised by what it does -----------------
namespace guard {
class Locker {
public:
  explicit Locker(std::mutex &m) : m_(m) { m_.lock(); }
  ~Locker() { m_.unlock(); }

private:
  std::mutex &m_;
};

std::mutex p, q;
void pq() {
  Locker a(p); // CHECK-NOTE: 'p' acquired here
  Locker b(q); // CHECK-WARN: mutex 'q' is acquired while holding 'p', and another thread acquires them in the opposite order
}
void qp() {
  Locker b(q);
  Locker a(p); // CHECK-NOTE: 'p' is acquired while holding 'q' here
}
void run() {
  std::jthread t1(pq); // CHECK-NOTE: on the thread started here
  std::jthread t2(qp); // CHECK-NOTE: on the thread started here
}
} // namespace guard

// --- one worker function started in a loop takes both orders ----------------
namespace loop {
std::mutex a, b;
void worker(int i) {
  if (i % 2) {
    std::lock_guard<std::mutex> la(a); // CHECK-NOTE: 'a' acquired here
    std::lock_guard<std::mutex> lb(b); // CHECK-WARN: mutex 'b' is acquired while holding 'a', and another thread acquires them in the opposite order
  } else {
    std::lock_guard<std::mutex> lb(b);
    std::lock_guard<std::mutex> la(a); // CHECK-NOTE: 'a' is acquired while holding 'b' here
  }
}
void run(int n) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(worker, i); // CHECK-NOTE: on the thread started here
  // CHECK-NOTE@-1: on the thread started here
  for (auto &t : threads)
    t.join();
}
} // namespace loop

// --- the same worker started once: one thread, no deadlock ------------------
namespace once {
std::mutex a, b;
void worker(int i) {
  if (i % 2) {
    std::lock_guard<std::mutex> la(a);
    std::lock_guard<std::mutex> lb(b);
  } else {
    std::lock_guard<std::mutex> lb(b);
    std::lock_guard<std::mutex> la(a);
  }
}
void run() {
  std::thread t(worker, 1);
  t.join();
}
} // namespace once
