// Bench corpus: Boost.Asio and Boost.System error codes.
#include <boost/asio.hpp>
#include <boost/system/error_code.hpp>

#include <thread>
#include <vector>

int resolve_all(const std::vector<std::string> &hosts) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  int ok = 0;
  for (const auto &h : hosts) {
    boost::system::error_code ec;
    auto results = resolver.resolve(h, "80", ec);
    if (!ec)
      ok += static_cast<int>(results.size());
  }
  boost::asio::thread_pool pool(2);
  for (int i = 0; i < 4; ++i)
    boost::asio::post(pool, [i] { (void)i; });
  pool.join();
  return ok;
}
