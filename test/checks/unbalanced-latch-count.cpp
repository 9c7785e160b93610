// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// A latch's or barrier's count compared with the arrivals the code makes.
#include <barrier>
#include <future>
#include <latch>
#include <thread>
#include <vector>

void work(int i);

// Two workers counting down once each, but the latch expects three.
void too_few_workers() {
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&done, i] { // CHECK-NOTE: workers started here make 2 of the arrivals
      work(i);
      done.count_down();
    });
  done.wait();
}

// More arrivals than the count: count_down below zero is undefined.
void too_many_workers() {
  constexpr int Workers = 4;
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 4
  // CHECK-FIX: std::latch done(4); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 4
  std::vector<std::thread> ts;
  for (int i = 0; i < Workers; ++i)
    ts.emplace_back([&] { done.count_down(); }); // CHECK-NOTE: workers started here make 4 of the arrivals
  done.wait();
  for (auto &t : ts)
    t.join();
}

// The count is the loop bound plus an offset nobody arrives for.
void offset_count(int n) {
  std::latch done(n + 1); // CHECK-WARN: latch 'done' expects n + 1 arrivals, but the code makes n
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&] { done.count_down(); }); // CHECK-NOTE: workers started here make n of the arrivals
  done.wait();
  for (auto &t : ts)
    t.join();
}

// Straight-line starts plus a function worker bound through std::ref.
void count_down_once(std::latch &l) { l.count_down(); }
void straight_line_starts() {
  std::latch ready(3); // CHECK-WARN: latch 'ready' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch ready(2); // CHECK-WARN: latch 'ready' expects 3 arrivals, but the code makes 2
  std::thread a(count_down_once, std::ref(ready)); // CHECK-NOTE: workers started here make 1 of the arrivals
  auto f = std::async(std::launch::async, [&] { ready.count_down(); }); // CHECK-NOTE: workers started here make 1 of the arrivals
  ready.wait();
  a.join();
}

// A barrier whose participants do not add up (the main thread never arrives).
void barrier_missing_participant() {
  std::barrier sync(3); // CHECK-WARN: barrier 'sync' expects 3 participants per phase, but 2 take part
  // CHECK-FIX: std::barrier sync(2); // CHECK-WARN: barrier 'sync' expects 3 participants per phase, but 2 take part
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&] { // CHECK-NOTE: workers started here are 2 of the participants
      for (int phase = 0; phase < 10; ++phase)
        sync.arrive_and_wait();
    });
}

// Arrivals on the spawning thread count too.
void main_thread_overcounts() {
  std::latch l(2); // CHECK-WARN: latch 'l' expects 2 arrivals, but the code makes 3
  // CHECK-FIX: std::latch l(3); // CHECK-WARN: latch 'l' expects 2 arrivals, but the code makes 3
  std::jthread t([&] { l.count_down(2); }); // CHECK-NOTE: workers started here make 2 of the arrivals
  l.arrive_and_wait(); // CHECK-NOTE: this thread makes 1 of the arrivals here
}

//===--- Balanced: not flagged ---------------------------------------------===//

void balanced_constexpr() {
  constexpr int N = 4;
  std::latch done(N);
  std::vector<std::jthread> ts;
  for (int i = 0; i < N; ++i)
    ts.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
}

void balanced_symbolic(int n) {
  std::latch done(n);
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&] { done.count_down(); });
  done.wait();
  for (auto &t : ts)
    t.join();
}

// n workers plus the main thread arriving.
void balanced_with_main(int n) {
  std::latch done(n + 1);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&] { done.count_down(); });
  done.arrive_and_wait();
}

// Barrier: two workers and the main thread, every phase.
void barrier_with_main() {
  std::barrier sync(3);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&] {
      for (int phase = 0; phase < 5; ++phase)
        sync.arrive_and_wait();
    });
  for (int phase = 0; phase < 5; ++phase)
    sync.arrive_and_wait();
}

// A worker that drops out counts as a participant.
void barrier_drop() {
  std::barrier sync(2);
  std::jthread t([&] {
    sync.arrive_and_wait();
    sync.arrive_and_drop();
  });
  sync.arrive_and_wait();
}

// One-shot start signal: the workers wait, the main thread counts down once.
void start_signal() {
  std::latch go(1);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&go, i] {
      go.wait();
      work(i);
    });
  go.count_down();
}

//===--- Unknown: conservative, not flagged --------------------------------===//

void helper(std::latch &l);

// The latch is handed to code we cannot see.
void passed_away() {
  std::latch done(3);
  std::jthread t([&] { done.count_down(); });
  helper(done);
  done.wait();
}

// A conditional start.
void conditional_start(bool extra) {
  std::latch done(2);
  std::jthread a([&] { done.count_down(); });
  if (extra) {
    std::jthread b([&] { done.count_down(); });
  }
  done.wait();
}

// A loop whose trip count is unknown.
void unknown_trip(const std::vector<int> &items) {
  std::latch done(4);
  std::vector<std::jthread> ts;
  for (int item : items)
    ts.emplace_back([&done, item] {
      work(item);
      done.count_down();
    });
  done.wait();
}

// The loop bound differs from the count expression.
void different_bound(int n, int m) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < m; ++i)
    ts.emplace_back([&] { done.count_down(); });
  done.wait();
}

// A loop that can leave early.
void early_break(int n) {
  std::latch done(3);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 3; ++i) {
    if (i == n)
      break;
    ts.emplace_back([&] { done.count_down(); });
  }
}

// A count from a macro: flagged, but no fix-it.
#define WORKERS 5 // CHECK-NOTE: expanded from macro 'WORKERS'
void macro_count() {
  std::latch done(WORKERS); // CHECK-WARN: latch 'done' expects 5 arrivals, but the code makes 4
  std::vector<std::jthread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] { done.count_down(); }); // CHECK-NOTE: workers started here make 4 of the arrivals
  done.wait();
}
