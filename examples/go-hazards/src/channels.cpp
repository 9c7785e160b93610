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
