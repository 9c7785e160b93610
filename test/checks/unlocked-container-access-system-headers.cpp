// REQUIRES: boost-asio, boost-fiber
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Boost.Asio and Boost.Fiber headers give no findings: they are full of
// containers, mutexes and thread starts, all in system headers (standalone
// asio is covered by unlocked-container-access-asio.cpp).
#include <boost/asio.hpp>
#include <boost/fiber/all.hpp>
#include <future>
#include <shared_mutex>
#include <thread>

int main() {
  boost::asio::io_context ctx;
  boost::fibers::mutex mu;
  std::lock_guard<boost::fibers::mutex> lock(mu);
  return 0;
}
