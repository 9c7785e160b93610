// WaitGroup misuse with std::latch.
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
