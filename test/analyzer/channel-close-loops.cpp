// pitfall.ChannelClose across loop iterations: a close in iteration k and a
// send in iteration k+1.
// RUN: %analyze %s -std=c++20 -I %S/Inputs -o /dev/null %if llvm-19 %{ -Xclang -verify=expected,budget %}
// Without inlining the standard library (pitfall-scan's default):
// RUN: %analyze %s -std=c++20 -I %S/Inputs -o /dev/null %if llvm-19 %{ -Xclang -verify=expected,budget %} -Xclang -analyzer-config -Xclang c++-stdlib-inlining=false
// With loop widening the engine also reaches closes guarded by a counter
// value beyond its unrolling budget (-analyzer-max-loop, 4 by default).
// RUN: %analyze %s -std=c++20 -I %S/Inputs -o /dev/null -Xclang -verify=expected,widen,budget -Xclang -analyzer-config -Xclang widen-loops=true
#include "chan.h"

#include <optional>
#include <vector>

// Iteration 1 closes (v < 0), iteration 2 sends: explored path-sensitively.
void close_then_send_next_iteration(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items) {
    (void)ch.send(v); // expected-warning {{Send on closed channel}}
    if (v < 0)
      ch.close(); // expected-warning {{Channel closed twice}}
  }
}

void close_twice_in_loop(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i)
    ch.close(); // expected-warning {{Channel closed twice}}
}

// The close happens in the last iteration the engine unrolls (i == 2); the
// checker finds the send of the next iteration from the CFG. LLVM 22's engine
// ends the unrolled paths earlier, so there this case needs widen-loops=true
// ("budget" expectations: LLVM 19 without widening, and any LLVM with it).
void close_at_unroll_budget(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    (void)ch.send(i); // budget-warning {{Send on closed channel}}
    if (i == 2)
      // Widening forgets i, so the widened iteration may close again.
      ch.close(); // budget-note {{Channel closed here, in an earlier iteration}} widen-warning {{Channel closed twice}}
  }
}

// A close guarded by a counter value the engine does not unroll to is only
// reached with widening.
void close_beyond_unroll_budget(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    (void)ch.send(i); // widen-warning {{Send on closed channel}}
    if (i == 5)
      ch.close(); // widen-note {{Channel closed here, in an earlier iteration}}
  }
}

// GOOD: the close is in the last iteration; the loop condition ends the loop.
// (Widening forgets the relation between i and n: the price of that mode.)
void close_in_last_iteration(Chan<int> &ch, int n) {
  for (int i = 0; i < n; ++i) {
    (void)ch.send(i); // widen-warning {{Send on closed channel}}
    if (i == n - 1)
      ch.close(); // widen-warning {{Channel closed twice}} widen-note {{Channel closed here, in an earlier iteration}}
  }
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

// GOOD: the send in the next iteration is guarded.
void guarded_in_loop(Chan<int> &ch, const std::vector<int> &items) {
  for (int v : items) {
    if (ch.is_closed())
      continue;
    (void)ch.send(v);
    if (v < 0)
      ch.close();
  }
}

// GOOD: a fresh channel per iteration.
void fresh_per_iteration(int n) {
  for (int i = 0; i < n; ++i) {
    Chan<int> ch;
    (void)ch.send(i);
    ch.close();
  }
}
