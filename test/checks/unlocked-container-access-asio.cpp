// REQUIRES: asio
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Executors: asio::post to a thread pool runs the handler concurrently;
// handlers on one strand, or on an io_context the caller runs itself, do not
// overlap. Including asio gives no findings in its headers.
#include <asio.hpp>
#include <map>
#include <mutex>
#include <vector>

void pool_race() {
  asio::thread_pool pool(2);
  std::vector<int> v;
  asio::post(pool, [&v] { v.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  v.push_back(2); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  pool.join();
}

void two_handlers() {
  asio::thread_pool pool(2);
  std::map<int, int> m;
  asio::post(pool, [&m] { m[1] = 1; }); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  asio::post(pool, [&m] { m.erase(1); }); // CHECK-NOTE: conflicting modification on another thread
  pool.join();
}

//===--- negative cases ---------------------------------------------------===//

void strand_serializes() {
  asio::thread_pool pool(2);
  auto strand = asio::make_strand(pool);
  std::map<int, int> m;
  asio::post(strand, [&m] { m[1] = 1; });
  asio::post(strand, [&m] { m.erase(1); });
  pool.join();
  m.clear();
}

void single_threaded_context() {
  asio::io_context ctx;
  std::vector<int> v;
  asio::post(ctx, [&v] { v.push_back(1); });
  v.push_back(2);
  ctx.run();
  v.clear();
}

void locked_handlers() {
  asio::thread_pool pool(2);
  std::mutex mu;
  std::vector<int> v;
  for (int i = 0; i < 4; ++i)
    asio::post(pool, [&, i] {
      std::lock_guard<std::mutex> lock(mu);
      v.push_back(i);
    });
  pool.join();
  v.clear();
}
