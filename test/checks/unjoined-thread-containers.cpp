// Containers of threads: every element must be joined or detached before the
// container is destroyed.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

void work();
void work_on(int);
bool ready() noexcept;

// ---------------------------------------------------------------- positives

void neverJoined(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i); // CHECK-NOTE: thread added to 'pool' here
} // CHECK-WARN: threads in 'pool' are destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-1: join or detach every element of 'pool' before this point

void pushedNeverJoined() {
  std::deque<std::thread> q;
  q.push_back(std::thread(work)); // CHECK-NOTE: thread added to 'q' here
} // CHECK-WARN: threads in 'q' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'q' before this point

void earlyReturnBeforeJoin(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back([i] { work_on(i); }); // CHECK-NOTE: thread added to 'pool' here
  if (!ready())
    return; // CHECK-WARN: threads in 'pool' are destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-1: join or detach every element of 'pool' before this point
  for (auto &t : pool)
    t.join();
}

void arrayOfThreads() {
  std::array<std::thread, 2> a;
  a[0] = std::thread(work); // CHECK-NOTE: thread added to 'a' here
  a[1] = std::thread(work);
} // CHECK-WARN: threads in 'a' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'a' before this point

void cArrayOfThreads() {
  std::thread a[2];
  for (auto &t : a)
    t = std::thread(work); // CHECK-NOTE: thread added to 'a' here
} // CHECK-WARN: threads in 'a' are destroyed while joinable
// CHECK-NOTE@-1: join or detach every element of 'a' before this point

// ---------------------------------------------------------------- negatives

void rangeForJoin(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  for (auto &t : pool)
    t.join();
}

void rangeForJoinableGuard(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  for (auto &t : pool)
    if (t.joinable())
      t.join();
}

void indexLoopJoin(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.push_back(std::thread(work_on, i));
  for (std::size_t i = 0; i < pool.size(); ++i)
    pool[i].join();
}

void iteratorLoopDetach(int n) {
  std::deque<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  for (auto it = pool.begin(); it != pool.end(); ++it)
    it->detach();
}

void forEachMemFn(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  std::for_each(pool.begin(), pool.end(), std::mem_fn(&std::thread::join));
}

void forEachLambda(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  std::for_each(pool.begin(), pool.end(), [](std::thread &t) { t.join(); });
}

void forEachGenericLambda(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  std::for_each(pool.begin(), pool.end(), [](auto &t) { t.join(); });
}

void whileLoopPopsAndJoins(int n) {
  std::deque<std::thread> q;
  for (int i = 0; i < n; ++i)
    q.emplace_back(work_on, i);
  while (!q.empty()) {
    q.front().join();
    q.pop_front();
  }
}

void joinedByCapturingLambda(int n) {
  std::vector<std::thread> pool;
  pool.emplace_back(work);
  auto joinAll = [&] {
    for (auto &t : pool)
      t.join();
  };
  joinAll();
}

void rangesForEach(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  std::ranges::for_each(pool, &std::thread::join);
}

std::vector<std::thread> returnedContainer(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
  return pool;
}

void movedContainer(std::vector<std::thread> &owner) {
  std::vector<std::thread> pool;
  pool.emplace_back(work);
  owner = std::move(pool);
}

void joinAll(std::vector<std::thread> &threads);
void passedToJoiner() {
  std::vector<std::thread> pool;
  pool.emplace_back(work);
  joinAll(pool);
}

void onlyDefaultThreads(int n) {
  std::vector<std::thread> pool(n);
  pool.resize(2 * n);
  pool.emplace_back();
}

void jthreadContainer(int n) {
  std::vector<std::jthread> pool;
  for (int i = 0; i < n; ++i)
    pool.emplace_back(work_on, i);
}
