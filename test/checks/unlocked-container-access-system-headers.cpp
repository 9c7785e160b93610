// REQUIRES: asio, boost-asio, boost-fiber
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Debian's asio, Boost.Asio and Boost.Fiber headers give no findings: they
// are full of containers, mutexes and thread starts, all in system headers.
#include <asio.hpp>
#include <boost/asio.hpp>
#include <boost/fiber/all.hpp>
#include <future>
#include <shared_mutex>
#include <thread>

int main() {
  asio::io_context ctx;
  boost::fibers::mutex mu;
  std::lock_guard<boost::fibers::mutex> lock(mu);
  return 0;
}
