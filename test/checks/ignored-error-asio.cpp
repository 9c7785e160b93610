// REQUIRES: asio
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// asio's error_code out-parameters, against Debian's standalone asio.
// Including <asio.hpp> must give no finding inside asio itself.
#include <asio.hpp>

using asio::ip::tcp;

// Teardown calls, the socket not used again: dismissible, not reported by
// default (ignored-error-teardown-calls.cpp).
void close_unchecked(tcp::socket &sock) {
  asio::error_code ec;
  sock.close(ec);
}

void shutdown_then_close(tcp::socket &sock) {
  asio::error_code ec;
  sock.shutdown(tcp::socket::shutdown_both, ec);
  sock.close(ec);
  if (ec)
    return;
}

// Best-effort calls (BestEffortFunctions): a socket option and the
// cancellation of a socket's and a timer's pending operations, their error
// never read: dismissible, not reported by default
// (ignored-error-best-effort-sockets.cpp).
void no_delay_unchecked(tcp::socket &sock) {
  asio::error_code ec;
  sock.set_option(tcp::no_delay(true), ec);
}

void on_timeout(tcp::socket &sock, asio::steady_timer &timer) {
  asio::error_code ec;
  sock.lowest_layer().cancel(ec);
  timer.cancel(ec);
}

// Closed, then opened again: the close is not teardown.
void close_and_reopen(tcp::socket &sock) {
  asio::error_code ec;
  sock.close(ec); // CHECK-WARN: error stored in 'ec' by 'close' is overwritten before it is read
  sock.open(tcp::v4(), ec); // CHECK-NOTE: 'ec' is overwritten here
  if (ec)
    return;
}

std::size_t read_some_unchecked(tcp::socket &sock, char *buf) {
  asio::error_code ec;
  std::size_t n = asio::read(sock, asio::buffer(buf, 16), ec); // CHECK-WARN: error stored in 'ec' by 'read' is never read
  return n;
}

void connect_unchecked(tcp::socket &sock, const tcp::endpoint &ep) {
  asio::error_code ec;
  sock.connect(ep, ec); // CHECK-WARN: error stored in 'ec' by 'connect' is never read
}

// Negative: the error is tested or passed on.
bool close_checked(tcp::socket &sock) {
  asio::error_code ec;
  sock.close(ec);
  return !ec;
}

asio::error_code close_returned(tcp::socket &sock) {
  asio::error_code ec;
  sock.close(ec);
  return ec;
}

void connect_logged(tcp::socket &sock, const tcp::endpoint &ep,
                    void (*log)(const asio::error_code &)) {
  asio::error_code ec;
  sock.connect(ep, ec);
  if (ec == asio::error::connection_refused)
    return;
  log(ec);
}

// Async handlers receive the error as a parameter: a handler that never
// reads it goes on as if the operation had succeeded.
void async_read_unchecked(tcp::socket &sock, char *buf) {
  sock.async_read_some(asio::buffer(buf, 16),
                       [buf](asio::error_code ec, std::size_t n) { // CHECK-WARN: error code 'ec' passed to the completion handler is never read
                         buf[n] = 0;
                       });
}

// Negative: the handler reads it, or leaves it unnamed.
void async_read(tcp::socket &sock, char *buf) {
  sock.async_read_some(asio::buffer(buf, 16),
                       [buf](asio::error_code, std::size_t n) { buf[n] = 0; });
  sock.async_read_some(asio::buffer(buf, 16),
                       [](const asio::error_code &ec, std::size_t) {
                         if (ec)
                           return;
                       });
}

// The throwing overloads report errors by exception.
void throwing(tcp::socket &sock) { sock.close(); }
