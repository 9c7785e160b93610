// The path notes of pitfall.ChannelClose, on a user channel type (Chan<T>:
// "chan" in the name and a close() method) built on the real libstdc++.
// RUN: %analyze %s -std=c++20 -I %S/Inputs -Xclang -analyzer-output=text -o /dev/null
// Without inlining the standard library (pitfall-scan's default), a channel
// behind a std::unique_ptr or std::shared_ptr is followed by the checker:
// RUN: %analyze %s -std=c++20 -I %S/Inputs -Xclang -analyzer-output=text -o /dev/null -Xclang -analyzer-config -Xclang c++-stdlib-inlining=false
#include "chan.h"

#include <vector>

void send_after_close(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items)
    (void)ch.send(v);
  ch.close(); // expected-note {{Channel closed here}}
  (void)ch.send(-1); // expected-warning {{Send on closed channel}} expected-note {{Send on closed channel}}
}

void closed_twice_on_a_branch(Chan<int> &ch, bool error) {
  if (error) // expected-note {{Assuming 'error' is true}} expected-note {{Taking true branch}}
    ch.close(); // expected-note {{Channel closed here}}
  ch.close(); // expected-warning {{Channel closed twice}} expected-note {{Channel closed twice}}
}

void close_on_one_branch_send_after_merge(Chan<int> &ch, bool done) {
  if (done) // expected-note {{Assuming 'done' is true}} expected-note {{Taking true branch}}
    ch.close(); // expected-note {{Channel closed here}}
  (void)ch.send(1); // expected-warning {{Send on closed channel}} expected-note {{Send on closed channel}}
}

// GOOD: every send before the one close.
void produce_ok(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items)
    (void)ch.send(v);
  (void)ch.send(-1);
  ch.close();
}

// GOOD: the send is guarded by the closed-state test.
void guarded(Chan<int> &ch, bool error) {
  if (error)
    ch.close();
  if (!ch.is_closed())
    (void)ch.send(1);
}

void guarded_early_return(Chan<int> &ch, bool error) {
  if (error)
    ch.close();
  if (ch.is_closed())
    return;
  (void)ch.send(1);
}

// GOOD: two different channels.
void two_channels(Chan<int> &a, Chan<int> &b) {
  a.close();
  (void)b.send(1);
  b.close();
}

// GOOD: a local channel destroyed and re-created on every iteration.
void recreated_local(int n) {
  for (int i = 0; i < n; ++i) {
    Chan<int> ch;
    (void)ch.send(i);
    ch.close();
  }
}

// GOOD: a new heap channel replaces the closed one.
void new_heap_object() {
  auto ch = std::make_unique<Chan<int>>();
  ch->close();
  ch = std::make_unique<Chan<int>>();
  (void)ch->send(1);
}

void same_heap_object() {
  auto ch = std::make_unique<Chan<int>>();
  ch->close(); // expected-note {{Channel closed here}}
  (void)ch->send(1); // expected-warning {{Send on closed channel}} expected-note {{Send on closed channel}}
}

void same_heap_object_through_get() {
  auto ch = std::make_unique<Chan<int>>();
  ch.get()->close(); // expected-note {{Channel closed here}}
  (void)(*ch).send(1); // expected-warning {{Send on closed channel}} expected-note {{Send on closed channel}}
}

void shared_channel_closed_twice() {
  auto ch = std::make_shared<Chan<int>>();
  ch->close(); // expected-note {{Channel closed here}}
  ch->close(); // expected-warning {{Channel closed twice}} expected-note {{Channel closed twice}}
}

// GOOD: reset() gives the pointer a new channel.
void reset_to_new_heap_object() {
  std::unique_ptr<Chan<int>> ch(new Chan<int>);
  ch->close();
  ch.reset(new Chan<int>);
  (void)ch->send(1);
}

// GOOD: two pointers, two channels.
void two_heap_objects() {
  auto a = std::make_unique<Chan<int>>();
  auto b = std::make_shared<Chan<int>>();
  a->close();
  (void)b->send(1);
  b->close();
}

void closed_through_parameter(std::shared_ptr<Chan<int>> ch) {
  ch->close(); // expected-note {{Channel closed here}}
  (void)ch.get()->send(1); // expected-warning {{Send on closed channel}} expected-note {{Send on closed channel}}
}

void closed_twice_through_reference(std::unique_ptr<Chan<int>> &ch) {
  ch->close(); // expected-note {{Channel closed here}}
  ch->close(); // expected-warning {{Channel closed twice}} expected-note {{Channel closed twice}}
}

// GOOD: a function the engine cannot see may replace the channel.
void replace_channel(std::unique_ptr<Chan<int>> &ch);
void replaced_by_opaque_call() {
  auto ch = std::make_unique<Chan<int>>();
  ch->close();
  replace_channel(ch);
  (void)ch->send(1);
}

// GOOD: assignment of a new channel reopens.
void assigned_new_channel() {
  ChanRef<int> ch;
  ch.close();
  ch = ChanRef<int>();
  (void)ch.send(1);
  ch << 2;
}

void stream_send_after_close() {
  ChanRef<int> ch;
  ch << 1;
  ch.close(); // expected-note {{Channel closed here}}
  ch << 2; // expected-warning {{Send on closed channel}} expected-note {{Send on closed channel}}
}

void guarded_by_closed(ChanRef<int> &ch, bool stop) {
  if (stop)
    ch.close();
  if (!ch.closed())
    ch << 3;
}
