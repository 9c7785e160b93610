// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// A single-use std::latch reused in every iteration of a loop.
#include <latch>
#include <thread>
#include <vector>

void work(int);

void rounds() {
  std::latch ready(1); // CHECK-NOTE: 'ready' declared outside the loop here; construct a latch per iteration or use std::barrier
  for (int round = 0; round < 3; ++round) {
    std::jthread t([&ready, round] {
      work(round);
      ready.count_down();
    });
    ready.wait(); // CHECK-WARN: single-use latch 'ready' is waited on in every iteration of a loop that runs 3 times; it does not block after the first
  }
}

struct Stage {
  std::latch sync_{2}; // CHECK-NOTE: 'sync_' declared outside the loop here; construct a latch per iteration or use std::barrier
  void run() {
    for (int step = 0; step < 4; ++step) {
      work(step);
      sync_.arrive_and_wait(); // CHECK-WARN: single-use latch 'sync_' is arrived at and waited on in every iteration of a loop that runs 4 times; it does not block after the first
    }
  }
};

//===--- Not flagged -------------------------------------------------------===//

// A latch per iteration.
void latch_per_round() {
  for (int round = 0; round < 3; ++round) {
    std::latch ready(1);
    std::jthread t([&ready, round] {
      work(round);
      ready.count_down();
    });
    ready.wait();
  }
}

// Waiting once after the loop.
void wait_after_loop() {
  constexpr int N = 3;
  std::latch done(N);
  std::vector<std::jthread> ts;
  for (int i = 0; i < N; ++i)
    ts.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
}

// A loop that runs once.
void single_iteration() {
  std::latch ready(1);
  for (int i = 0; i < 1; ++i) {
    std::jthread t([&] { ready.count_down(); });
    ready.wait();
  }
}

// A wait under a condition in the loop.
void conditional_wait(bool first) {
  std::latch ready(1);
  std::jthread t([&] { ready.count_down(); });
  for (int i = 0; i < 3; ++i) {
    if (i == 0)
      ready.wait();
    work(i);
  }
}

// Workers started in a loop that wait for a start signal.
void start_signal() {
  std::latch go(1);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&go, i] {
      go.wait();
      work(i);
    });
  go.count_down();
}
