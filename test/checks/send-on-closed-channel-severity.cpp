// The severity of each finding, as pitfall-scan reports it: an error when
// the function's own close() precedes the send (or second close) on every
// path that reaches it, a warning when on some paths, after a helper's close
// (its summary may close on some of its paths) or in a later iteration.
// RUN: %scan_one %s pitfall-send-on-closed-channel -- -std=c++20 -I %S/../analyzer/Inputs \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-send-on-closed-channel]"
#include "chan.h"

void sendAfterClose(Chan<int> &ch) {
  ch.close();
  (void)ch.send(-1);
  // CHECK: severity.cpp:[[@LINE-1]]:9: error: send on channel 'ch' that may already be closed [pitfall-send-on-closed-channel]
}

void closedTwice(Chan<int> &ch) {
  ch.close();
  ch.close();
  // CHECK: severity.cpp:[[@LINE-1]]:3: error: channel 'ch' may be closed twice [pitfall-send-on-closed-channel]
}

void closeOnABranch(Chan<int> &ch, bool done) {
  if (done)
    ch.close();
  (void)ch.send(1);
  // CHECK: severity.cpp:[[@LINE-1]]:9: warning: send on channel 'ch' that may already be closed [pitfall-send-on-closed-channel]
}

// The send runs only where the close ran before it: every path that
// reaches it has closed the channel.
void sameCondition(Chan<int> &ch, bool done) {
  if (done)
    ch.close();
  if (done)
    (void)ch.send(1);
  // CHECK: severity.cpp:[[@LINE-1]]:11: error: send on channel 'ch' that may already be closed [pitfall-send-on-closed-channel]
}

void finish(Chan<int> &ch, bool now) {
  if (now)
    ch.close();
}

void closedByHelper(Chan<int> &ch) {
  finish(ch, true);
  (void)ch.send(1);
  // CHECK: severity.cpp:[[@LINE-1]]:9: warning: send on channel 'ch' that may already be closed [pitfall-send-on-closed-channel]
}

void closeThenSendNextIteration(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    (void)ch.send(i);
    // CHECK: severity.cpp:[[@LINE-1]]:11: warning: send on channel 'ch' that may already be closed [pitfall-send-on-closed-channel]
    if (i == 5)
      ch.close();
  }
}

// A send that tests the channel first: nothing to report.
void testedFirst(Chan<int> &ch) {
  ch.close();
  if (!ch.is_closed())
    (void)ch.send(1);
}
