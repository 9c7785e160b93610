// REQUIRES: boost-asio
// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Debian's Boost.Asio headers give no findings, and neither does this file.
// (A separate test: standalone asio and Boost.Asio clash in one TU.)
#include <boost/asio.hpp>
#include <future>
#include <thread>

void use(int);

void posted_by_value(boost::asio::io_context &io, int n) {
  for (int i = 0; i < n; ++i)
    boost::asio::post(io, [i] { use(i); });
}

void async_local_future(int n) {
  for (int i = 0; i < n; ++i)
    auto fut = std::async(std::launch::async, [&i] { use(i); });
}
