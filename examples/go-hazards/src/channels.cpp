// Sends on closed channels.
#include "chan.h"

#include <vector>

// BAD: the channel is closed before the last send, which is silently lost.
void produce(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items)
    (void)ch.send(v);
  ch.close();
  (void)ch.send(-1); // sentinel sent after close
}

// BAD: closed twice.
void finish(Chan<int> &ch, bool error) {
  if (error)
    ch.close();
  ch.close();
}

// GOOD: close exactly once, after the last send.
void produce_ok(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items)
    (void)ch.send(v);
  (void)ch.send(-1);
  ch.close();
}

// BAD: a stop request closes the channel mid-loop; the next iteration sends
// on it (and may close it again).
void pump(Chan<int> &ch, const std::vector<int> &items, const bool &stop) {
  for (int v : items) {
    (void)ch.send(v);
    if (stop)
      ch.close();
  }
}

// GOOD: the send is guarded by the channel's state, the close is after the
// loop.
void pump_ok(Chan<int> &ch, const std::vector<int> &items, const bool &stop) {
  for (int v : items) {
    if (stop || ch.is_closed())
      break;
    (void)ch.send(v);
  }
  ch.close();
}
