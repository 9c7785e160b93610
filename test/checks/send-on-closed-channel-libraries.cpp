// Boost.Fiber's and asio's channels, from the real headers (which themselves
// must give no findings).
// REQUIRES: boost-fiber, asio
// RUN: %check_tidy %s pitfall-send-on-closed-channel -- -std=c++20
#include <asio.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <boost/fiber/all.hpp>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;
using Channel = asio::experimental::channel<void(asio::error_code, int)>;
using ConcurrentChannel =
    asio::experimental::concurrent_channel<void(asio::error_code, int)>;

void fiber_push_after_close(buffered_channel<int> &ch) {
  ch.push(1);
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  ch.push(2); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void fiber_unbuffered(unbuffered_channel<int> &ch, bool stop) {
  if (stop)
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.push(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void asio_try_send(Channel &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.try_send(asio::error_code{}, 2); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void asio_async_send(ConcurrentChannel &ch, bool error) {
  if (error)
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  ch.async_send(asio::error_code{}, 2, asio::detached); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// GOOD
void fiber_producer(buffered_channel<int> &ch, int n) {
  for (int i = 0; i < n; ++i)
    if (ch.push(i) == channel_op_status::closed)
      return;
  ch.close();
}

void fiber_guarded(buffered_channel<int> &ch, bool stop) {
  if (stop)
    ch.close();
  if (!ch.is_closed())
    ch.push(4);
}

void asio_guarded(Channel &ch, bool stop) {
  if (stop)
    ch.close();
  if (ch.is_open())
    (void)ch.try_send(asio::error_code{}, 3);
}

void asio_reset(Channel &ch) {
  ch.close();
  ch.reset();
  (void)ch.try_send(asio::error_code{}, 4);
}
