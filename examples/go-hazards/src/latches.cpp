// WaitGroup misuse with std::latch and std::barrier (pitfall-unbalanced-latch).
#include <barrier>
#include <latch>
#include <thread>
#include <vector>

void work(int i);

// BAD: the latch expects 3 arrivals but only 2 workers count down: wait()
// blocks forever.
void run_batch() {
  std::latch done(3);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
}

// GOOD: the count matches the workers.
void run_batch_ok() {
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

bool failed(int i);

// BAD: the error path returns without counting down: wait() blocks forever
// (Go: a goroutine that returns before wg.Done()).
void run_items(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      if (failed(i))
        return;
      work(i);
      done.count_down();
    });
  done.wait();
}

// GOOD: a scope guard counts down on every path, exceptions included.
struct CountDownOnExit {
  std::latch &l;
  ~CountDownOnExit() { l.count_down(); }
};
void run_items_ok(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      CountDownOnExit guard{done};
      if (failed(i))
        return;
      work(i);
    });
  done.wait();
}

// BAD: a single-use latch reused for every round: from the second round on
// wait() returns at once and count_down() goes below zero.
void rounds() {
  std::latch ready(1);
  for (int round = 0; round < 3; ++round) {
    std::jthread t([&ready, round] {
      work(round);
      ready.count_down();
    });
    ready.wait();
  }
}

// GOOD: a reusable rendezvous is a std::barrier.
void rounds_ok() {
  std::barrier sync(2);
  std::jthread t([&sync] {
    for (int round = 0; round < 3; ++round) {
      work(round);
      sync.arrive_and_wait();
    }
  });
  for (int round = 0; round < 3; ++round)
    sync.arrive_and_wait();
}
