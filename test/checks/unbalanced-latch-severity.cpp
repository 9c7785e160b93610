// The severity of each finding, as pitfall-scan reports it: a count that
// differs from the arrivals every path makes is an error (the latch never
// reaches zero, or is counted below it); so is a binary semaphore released
// more times than its maximum plus the acquires (it overflows whatever the
// interleaving). A path that leaves without arriving, or fewer surplus
// releases (an acquire may come between them), are warnings.
// RUN: %scan_one %s pitfall-unbalanced-latch -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-unbalanced-latch]"
#include <latch>
#include <semaphore>
#include <thread>
#include <vector>

bool failed(int i);
void work(int i);

void tooFewWorkers() {
  std::latch done(3);
  // CHECK: severity.cpp:[[@LINE-1]]:19: error: latch 'done' expects 3 arrivals, but the code makes 2 [pitfall-unbalanced-latch]
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
}

void earlyReturn(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      if (failed(i))
        return;
      // CHECK: severity.cpp:[[@LINE-1]]:9: warning: worker returns without counting down latch 'done' on this path [pitfall-unbalanced-latch]
      work(i);
      done.count_down();
    });
  done.wait();
}

void releasedByTwo() {
  std::binary_semaphore done(0);
  std::jthread a([&] { done.release(); });
  std::jthread b([&] { done.release(); });
  done.acquire();
  // CHECK: severity.cpp:[[@LINE-1]]:8: warning: semaphore 'done' (maximum 1) is released 2 times by workers but acquired 1 time here{{.*}}[pitfall-unbalanced-latch]
}

void releasedByThree() {
  std::binary_semaphore done(0);
  std::jthread a([&] { done.release(); });
  std::jthread b([&] { done.release(); });
  std::jthread c([&] { done.release(); });
  done.acquire();
  // CHECK: severity.cpp:[[@LINE-1]]:8: error: semaphore 'done' (maximum 1) is released 3 times by workers but acquired 1 time here{{.*}}[pitfall-unbalanced-latch]
}

// Balanced: nothing to report.
void balanced() {
  std::latch done(2);
  std::jthread a([&] { done.count_down(); });
  std::jthread b([&] { done.count_down(); });
  done.wait();
}
