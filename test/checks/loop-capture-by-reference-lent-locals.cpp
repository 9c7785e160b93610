// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20 -I %S/Inputs/lent-locals
// A function with an executor's name (`execute`) that binds the callable it
// is given into a local delegate and lends the delegate, by reference, to a
// library function whose body is not seen (oneTBB's
// `task_arena::execute`): the library cannot keep the local past the
// return, so the callable runs before execute() returns. Not a start: a
// lambda capturing the loop's variables by reference is safe there. One
// copied into a heap task handed to the library (`enqueue`), or lent as a
// std::function the library can copy, is still a start.
#include "arena.h"

void use(int);

// --- not flagged: run before execute() returns --------------------------------

void executed(lib::arena &a, int n) {
  for (int i = 0; i < n; ++i)
    a.execute([&] { use(i); });
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    a.execute([&chunk] { use(chunk); });
  }
}

// --- flagged: the task outlives the call --------------------------------------

void enqueued(lib::arena &a, int n) {
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    // CHECK-WARN@+2: 'chunk' is captured by reference in a lambda that is passed to 'enqueue'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'enqueue' here
    a.enqueue([&chunk] { use(chunk); });
    // CHECK-FIX: a.enqueue([chunk] { use(chunk); });
  }
}

void posted(lib::arena &a, int n) {
  for (int i = 0; i < n; ++i) {
    int chunk = i * 64;
    // CHECK-WARN@+2: 'chunk' is captured by reference in a lambda that is passed to 'post'; it is destroyed at the end of the iteration (dangling reference)
    // CHECK-NOTE@+1: passed to 'post' here
    a.post([&chunk] { use(chunk); });
    // CHECK-FIX: a.post([chunk] { use(chunk); });
  }
}
