// REQUIRES: asio
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20 -DASIO_HAS_CO_AWAIT=1 -DASIO_HAS_STD_COROUTINE=1
// asio coroutines: redirect_error(use_awaitable, ec) stores into ec when the
// operation completes; ec must be read after the co_await.
#include <coroutine>
#include <asio.hpp>

using asio::ip::tcp;

asio::awaitable<void> connect_checked(tcp::socket &sock, tcp::endpoint ep) {
  asio::error_code ec;
  co_await sock.async_connect(ep, asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return;
}

asio::awaitable<void> connect_unchecked(tcp::socket &sock, tcp::endpoint ep) {
  asio::error_code ec;
  co_await sock.async_connect(ep, asio::redirect_error(asio::use_awaitable, ec)); // CHECK-WARN: error stored in 'ec' by 'redirect_error' is never read
  co_return;
}

asio::awaitable<void> non_blocking_unchecked(tcp::socket &sock) {
  asio::error_code ec;
  sock.non_blocking(true, ec); // CHECK-WARN: error stored in 'ec' by 'non_blocking' is never read
  co_return;
}

asio::awaitable<std::size_t> read_checked(tcp::socket &sock, char *buf) {
  asio::error_code ec;
  std::size_t n = co_await sock.async_read_some(
      asio::buffer(buf, 16), asio::redirect_error(asio::use_awaitable, ec));
  co_return ec ? 0 : n;
}
