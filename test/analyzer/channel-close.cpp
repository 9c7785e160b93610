// The path notes of pitfall.ChannelClose, on a user channel type (Chan<T>:
// "chan" in the name and a close() method) built on the real libstdc++.
// RUN: %analyze %s -std=c++20 -I %S/Inputs -Xclang -analyzer-output=text -o /dev/null
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
