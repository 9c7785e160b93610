// pitfall.ChannelClose on asio's experimental channels (the real headers,
// which themselves must give no findings).
// REQUIRES: asio
// RUN: %analyze %s -std=c++20 -o /dev/null
// Without inlining the standard library (pitfall-scan's default):
// RUN: %analyze %s -std=c++20 -o /dev/null -Xclang -analyzer-config -Xclang c++-stdlib-inlining=false
#include <asio.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>

using Channel = asio::experimental::channel<void(asio::error_code, int)>;
using ConcurrentChannel =
    asio::experimental::concurrent_channel<void(asio::error_code, int)>;

void try_send_after_close(Channel &ch) {
  (void)ch.try_send(asio::error_code{}, 1);
  ch.close();
  (void)ch.try_send(asio::error_code{}, 2); // expected-warning {{Send on closed channel}}
}

void async_send_after_close(ConcurrentChannel &ch) {
  ch.close();
  ch.async_send(asio::error_code{}, 2, asio::detached); // expected-warning {{Send on closed channel}}
}

void closed_twice(Channel &ch, bool error) {
  if (error)
    ch.close();
  ch.close(); // expected-warning {{Channel closed twice}}
}

// GOOD: guarded by is_open().
void guarded(Channel &ch, bool stop) {
  if (stop)
    ch.close();
  if (ch.is_open())
    (void)ch.try_send(asio::error_code{}, 3);
}

// GOOD: reset() reopens an asio channel.
void reopened(Channel &ch) {
  ch.close();
  ch.reset();
  (void)ch.try_send(asio::error_code{}, 4);
}

// GOOD: a channel owned by the function.
void owned(asio::io_context &ctx) {
  Channel ch(ctx, 4);
  (void)ch.try_send(asio::error_code{}, 1);
  ch.close();
}
