// REQUIRES: asio
// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20 -DASIO_HAS_CO_AWAIT
// asio enables awaitable<> for clang only when told to.
#include <asio.hpp>
#include <chrono>

// A classic: an asio coroutine that ticks forever.
asio::awaitable<void> heartbeat() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) { // CHECK-WARN: coroutine loop can never end and never checks a cancellation source
    // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
    timer.expires_after(std::chrono::seconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

void start(asio::io_context &io) {
  asio::co_spawn(io, []() -> asio::awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (true) { // CHECK-WARN: coroutine loop can never end
      // CHECK-NOTE@-1: take a std::stop_token or check the cancellation state
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::use_awaitable);
    }
  }, asio::detached);
}

// Not flagged: the loop checks asio's cancellation state.
asio::awaitable<void> heartbeat_cancellable() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none)
      co_return;
    timer.expires_after(std::chrono::seconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// Not flagged: reading the cancellation state counts as consulting it even
// when the decision is made elsewhere.
void check(asio::cancellation_state);
asio::awaitable<void> passes_state() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    check(co_await asio::this_coro::cancellation_state);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// Not flagged: asio's echo example. The loop ends when the peer closes the
// connection: the read then throws.
asio::awaitable<void> echo(asio::ip::tcp::socket s) {
  char buf[64];
  for (;;) {
    std::size_t n =
        co_await s.async_read_some(asio::buffer(buf), asio::use_awaitable);
    co_await asio::async_write(s, asio::buffer(buf, n), asio::use_awaitable);
  }
}

// Not flagged: the error code ends the loop.
asio::awaitable<void> echo_ec(asio::ip::tcp::socket s) {
  char buf[64];
  for (;;) {
    asio::error_code ec;
    std::size_t n = co_await s.async_read_some(
        asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
      break;
    (void)n;
  }
}

// Flagged: a timer wait fails only when cancelled, and nothing here can
// cancel it.
asio::awaitable<void> accept_and_wait(asio::steady_timer &t) {
  for (;;) // CHECK-WARN: coroutine loop can never end
    co_await t.async_wait(asio::use_awaitable); // CHECK-NOTE@-1: take a std::stop_token
}
