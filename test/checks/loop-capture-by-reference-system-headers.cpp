// REQUIRES: asio, boost-fiber
// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Debian's asio and Boost.Fiber headers give no findings (their
// loops with lambdas are in system headers), and neither does this file.
#include <asio.hpp>
#include <boost/fiber/all.hpp>
#include <future>
#include <thread>

void use(int);

void fibers_joined(int n) {
  for (int i = 0; i < n; ++i) {
    boost::fibers::fiber f([&i] { use(i); });
    f.join();
  }
}

void async_local_future(int n) {
  for (int i = 0; i < n; ++i)
    auto fut = std::async(std::launch::async, [&i] { use(i); });
}
