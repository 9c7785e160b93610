// Debian's asio and Boost headers give no findings. (Standalone asio and
// Boost.Asio cannot share a translation unit: they are checked separately.)
// REQUIRES: asio, boost-asio, boost-fiber
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20 -DUSE_ASIO
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20 -DUSE_BOOST %if boost-thread %{ -DHAVE_BOOST_THREAD %}
#include <future>
#include <thread>

#ifdef USE_ASIO
#include <asio.hpp>
int main() {
  asio::io_context io;
  asio::thread_pool pool(2);
  asio::post(pool, [] {});
  pool.join();
  std::thread t([&] { io.run(); });
  t.join();
}
#endif

#ifdef USE_BOOST
#include <boost/asio.hpp>
#include <boost/fiber/all.hpp>
#ifdef HAVE_BOOST_THREAD
#include <boost/thread.hpp>
#endif
int main() {
  boost::asio::io_context io;
  boost::fibers::fiber f([] {});
  f.join();
  std::thread t([&] { io.run(); });
  t.join();
}
#endif
