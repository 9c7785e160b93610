// REQUIRES: asio
// RUN: %check_tidy %s pitfall-unbalanced-latch --system-headers -- -std=c++20
// Debian's standalone asio headers (thread pools, strands, executors) must give no findings, and user code next to
// them is still analyzed.
#include <asio.hpp>
#include <barrier>
#include <latch>
#include <semaphore>
#include <thread>

void work(int);

// A balanced use with asio's thread pool: not flagged.
void pool_balanced() {
  asio::thread_pool pool(4);
  std::latch done(4);
  for (int i = 0; i < 4; ++i)
    asio::post(pool, [&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
  pool.join();
}

// An unbalanced one: flagged.
void pool_unbalanced() {
  asio::thread_pool pool(2);
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  for (int i = 0; i < 2; ++i)
    asio::post(pool, [&done] { done.count_down(); }); // CHECK-NOTE: workers started here make 2 of the arrivals
  done.wait();
  pool.join();
}
