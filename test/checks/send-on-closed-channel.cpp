// RUN: %check_tidy %s pitfall-send-on-closed-channel -- -std=c++20 -I %S/../analyzer/Inputs
#include "chan.h"

#include <optional>
#include <vector>

void send_after_close(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items)
    (void)ch.send(v);
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(-1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_twice(Chan<int> &ch, bool error) {
  if (error)
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  ch.close(); // CHECK-WARN: channel 'ch' may be closed twice
}

void close_on_a_branch(Chan<int> &ch, bool done) {
  if (done)
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// A close in one iteration reaches the send of the next.
void close_then_send_next_iteration(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    (void)ch.send(i); // CHECK-WARN: send on channel 'ch' that may already be closed
    if (i == 5)
      ch.close(); // CHECK-NOTE: 'ch' is closed here
  }
}

void member_channel_closed_twice();
struct Producer {
  Chan<int> out_;
  void finish() {
    out_.close(); // CHECK-NOTE: 'out_' is closed here
    (void)out_.send(0); // CHECK-WARN: send on channel 'out_' that may already be closed
  }
};

void through_pointer(Chan<int> *p) {
  p->close(); // CHECK-NOTE: 'p' is closed here
  (void)p->send(1); // CHECK-WARN: send on channel 'p' that may already be closed
}

void stream_send(ChanRef<int> &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  ch << 1; // CHECK-WARN: send on channel 'ch' that may already be closed
}

void in_lambda() {
  auto f = [](Chan<int> &ch) {
    ch.close(); // CHECK-NOTE: 'ch' is closed here
    (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
  };
  (void)f;
}

// GOOD: every send before the one close.
void produce_ok(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items)
    (void)ch.send(v);
  (void)ch.send(-1);
  ch.close();
}

// GOOD: guarded sends.
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

void guarded_in_loop(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items) {
    if (ch.is_closed())
      break;
    (void)ch.send(v);
    if (v < 0)
      ch.close();
  }
}

// GOOD: different channels.
void two_channels(Chan<int> &a, Chan<int> &b) {
  a.close();
  (void)b.send(1);
  b.close();
}

// GOOD: a fresh channel each iteration.
void fresh_per_iteration(int n) {
  for (int i = 0; i < n; ++i) {
    Chan<int> ch;
    (void)ch.send(i);
    ch.close();
  }
}

// GOOD: replaced before the send.
void replaced() {
  auto ch = std::make_unique<Chan<int>>();
  ch->close();
  ch = std::make_unique<Chan<int>>();
  (void)ch->send(1);
}

void reassigned(ChanRef<int> ch) {
  ch.close();
  ch = ChanRef<int>();
  ch << 1;
}

std::optional<int> next_item();

// GOOD: close and leave the loop.
void close_and_break(Chan<int> &ch) {
  while (true) {
    std::optional<int> item = next_item();
    if (!item) {
      ch.close();
      break;
    }
    (void)ch.send(*item);
  }
}

// GOOD: not a channel (no "chan" in the name).
struct File {
  void write(int);
  void close();
};
void file(File &f) {
  f.close();
  f.write(1);
}

// GOOD: the test is part of a compound condition.
void guarded_compound(Chan<int> &ch, bool error, bool ready) {
  if (error)
    ch.close();
  if (ready && !ch.is_closed())
    (void)ch.send(1);
  if (ch.is_closed() || !ready)
    return;
  (void)ch.send(2);
}

// Known imprecision (path-insensitive): the loop ends after a close in the
// last iteration, but the CFG does not know it. pitfall.ChannelClose does.
void close_in_last_iteration(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    (void)ch.send(i); // CHECK-WARN: send on channel 'ch' that may already be closed
    if (i == n - 1)
      ch.close(); // CHECK-NOTE: 'ch' is closed here
  }
}

// Templates are analyzed in their instantiations.
template <typename T> void generic(Chan<T> &ch, T v) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(v); // CHECK-WARN: send on channel 'ch' that may already be closed
}
template void generic<int>(Chan<int> &, int);
