// REQUIRES: boost-asio
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// boost::system::error_code results and out-parameters (Boost.System and
// Boost.Asio from Debian). Their headers must give no finding.
#include <boost/asio.hpp>
#include <boost/system/error_code.hpp>

namespace sys = boost::system;
using boost::asio::ip::tcp;

sys::error_code sync_config(const char *path); // CHECK-FIX: [[nodiscard]] sys::error_code sync_config(const char *path);
// CHECK-NOTE@-1: add [[nodiscard]] to 'sync_config'

void dropped() {
  // CHECK-WARN@+1: error result of type 'sys::error_code' returned by 'sync_config' is discarded
  sync_config("a.conf");
  auto ec = sync_config("b.conf"); // CHECK-WARN: error stored in 'ec' by 'sync_config' is never read
}

void non_blocking_unchecked(tcp::socket &sock) {
  // CHECK-WARN@+2: error result of type 'boost::system::error_code' returned by 'make_error_code' is discarded
  // CHECK-NOTE@+1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  sys::errc::make_error_code(sys::errc::io_error);
  sys::error_code ec;
  sock.non_blocking(true, ec); // CHECK-WARN: error stored in 'ec' by 'non_blocking' is never read
}

// Negative.
bool checked(tcp::socket &sock) {
  sys::error_code ec;
  sock.close(ec);
  if (ec.failed())
    return false;
  return !sync_config("c.conf");
}
