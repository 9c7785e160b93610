// REQUIRES: boost-asio, boost-fiber
// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// Boost.Asio and Boost.Fiber headers give no findings.
#include <boost/asio.hpp>
#include <boost/fiber/all.hpp>
#include <thread>

int main() {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(2);
  boost::fibers::fiber f([] {});
  f.join();
  io.run();
  pool.join();
}
