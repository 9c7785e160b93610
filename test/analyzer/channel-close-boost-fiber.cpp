// pitfall.ChannelClose on Boost.Fiber's channels (the real headers).
// REQUIRES: boost-fiber
// RUN: %analyze %s -std=c++20 -o /dev/null
// Without inlining the standard library (pitfall-scan's default):
// RUN: %analyze %s -std=c++20 -o /dev/null -Xclang -analyzer-config -Xclang c++-stdlib-inlining=false
#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

void push_after_close(buffered_channel<int> &ch) {
  ch.push(1);
  ch.close();
  ch.push(2); // expected-warning {{Send on closed channel}}
}

void try_push_after_close(buffered_channel<int> &ch) {
  ch.close();
  (void)ch.try_push(2); // expected-warning {{Send on closed channel}}
}

void unbuffered_push_after_close(unbuffered_channel<int> &ch, bool stop) {
  if (stop)
    ch.close();
  ch.push(1); // expected-warning {{Send on closed channel}}
}

void closed_twice(buffered_channel<int> &ch) {
  ch.close();
  ch.close(); // expected-warning {{Channel closed twice}}
}

void close_in_helper(buffered_channel<int> &ch) { ch.close(); }

void send_after_helper_closed(buffered_channel<int> &ch) {
  close_in_helper(ch);
  ch.push(3); // expected-warning {{Send on closed channel}}
}

// GOOD: pushes, then one close.
void producer(buffered_channel<int> &ch, int n) {
  for (int i = 0; i < n; ++i)
    if (ch.push(i) == channel_op_status::closed)
      return;
  ch.close();
}

// GOOD: guarded by is_closed().
void guarded(buffered_channel<int> &ch, bool stop) {
  if (stop)
    ch.close();
  if (!ch.is_closed())
    ch.push(4);
}

// GOOD: a local channel per call.
void local_channel() {
  buffered_channel<int> ch(8);
  ch.push(1);
  ch.close();
}

// GOOD: receiving from a closed channel is fine.
void drain(buffered_channel<int> &ch) {
  ch.close();
  int v;
  while (ch.pop(v) == channel_op_status::success) {
  }
}
