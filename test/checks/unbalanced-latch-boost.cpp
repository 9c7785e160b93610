// REQUIRES: boost-asio, boost-fiber
// RUN: %check_tidy %s pitfall-unbalanced-latch --system-headers -- -std=c++20
// Debian's Boost.Asio and Boost.Fiber headers (thread pools, fiber barriers) must give no findings, and user code next to
// them is still analyzed.
#include <boost/asio.hpp>
#include <boost/fiber/all.hpp>
#include <barrier>
#include <latch>
#include <semaphore>
#include <thread>

void work(int);

// A balanced use with asio's thread pool: not flagged.
void pool_balanced() {
  boost::asio::thread_pool pool(4);
  std::latch done(4);
  for (int i = 0; i < 4; ++i)
    boost::asio::post(pool, [&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
  pool.join();
}

// An unbalanced one through boost::asio::post: flagged.
void pool_unbalanced() {
  boost::asio::thread_pool pool(2);
  std::latch done(3); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  // CHECK-FIX: std::latch done(2); // CHECK-WARN: latch 'done' expects 3 arrivals, but the code makes 2
  for (int i = 0; i < 2; ++i)
    boost::asio::post(pool, [&done] { done.count_down(); }); // CHECK-NOTE: workers started here make 2 of the arrivals
  done.wait();
  pool.join();
}
