// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

void poll_once();
bool try_poll();
void work_until(std::stop_token);

// --- Flagged ---------------------------------------------------------------

void ignores_token() {
  std::jthread t([](std::stop_token st) { // CHECK-NOTE: task started here
    while (true) // CHECK-WARN: std::jthread loop can never end and never checks its std::stop_token
      poll_once();
    // CHECK-FIX@-2: while (!st.stop_requested())
  });
}

void for_ever() {
  std::jthread t([](std::stop_token tok) { // CHECK-NOTE: task started here
    for (;;) { // CHECK-WARN: std::jthread loop can never end and never checks its std::stop_token
      // CHECK-FIX@-1: while (!tok.stop_requested()) {
      poll_once();
    }
  });
}

void do_forever() {
  std::jthread t([](std::stop_token st) { // CHECK-NOTE: task started here
    do { // CHECK-WARN: std::jthread loop can never end
      poll_once();
    } while (true); // CHECK-FIX: } while (!st.stop_requested());
  });
}

void no_token_param() {
  std::jthread t([] { // CHECK-NOTE: task started here
    // CHECK-WARN@+2: std::jthread loop can never end; the jthread's destructor will block forever
    // CHECK-NOTE@+1: take a std::stop_token as the first parameter
    while (1)
      poll_once();
  });
}

// The exit is dead code.
void dead_exit() {
  std::jthread t([](std::stop_token st) { // CHECK-NOTE: task started here
    while (true) { // CHECK-WARN: std::jthread loop can never end
      // CHECK-FIX@-1: while (!st.stop_requested()) {
      poll_once();
      continue;
      break;
    }
  });
}

void dead_exit_constant() {
  std::jthread t([](std::stop_token st) { // CHECK-NOTE: task started here
    for (;;) { // CHECK-WARN: std::jthread loop can never end
      // CHECK-FIX@-1: while (!st.stop_requested()) {
      if (false)
        return;
      poll_once();
    }
  });
}

// A break that leaves only an inner loop.
void inner_break() {
  std::jthread t([](std::stop_token st) { // CHECK-NOTE: task started here
    while (true) { // CHECK-WARN: std::jthread loop can never end
      // CHECK-FIX@-1: while (!st.stop_requested()) {
      for (int i = 0; i < 3; ++i)
        if (try_poll())
          break;
    }
  });
}

void ignores_token_in_flag_loop(bool *more) {
  std::jthread t([more](std::stop_token st) { // CHECK-NOTE: test stop_requested() on 'st' in the loop condition
    while (*more) // CHECK-WARN: std::jthread callable never reads its std::stop_token
      poll_once();
  });
}

std::optional<int> pop();
void unnamed_token() {
  std::jthread t([](std::stop_token) { // CHECK-NOTE: name the std::stop_token parameter
    while (true) { // CHECK-WARN: std::jthread callable never reads its std::stop_token
      auto item = pop();
      if (!item)
        return;
    }
  });
}

struct Queue {
  std::mutex m;
  std::condition_variable cv;
  std::condition_variable_any cva;
  bool ready = false;
};

void unwakeable_wait(Queue &q) {
  std::jthread t([&q](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(q.m);
      q.cv.wait(lk, [&] { return q.ready; }); // CHECK-WARN: this wait cannot be woken by a stop request
      // CHECK-NOTE@-1: use std::condition_variable_any::wait with the std::stop_token
    }
  });
}

void unwakeable_wait_any(Queue &q) {
  std::jthread t([&q](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(q.m);
      q.cva.wait(lk); // CHECK-WARN: this wait cannot be woken by a stop request
      // CHECK-NOTE@-1: use std::condition_variable_any::wait with the std::stop_token
    }
  });
}

// A named function as the callable.
void token_loop(std::stop_token st) {
  for (;;) // CHECK-WARN: std::jthread loop can never end and never checks its std::stop_token
    poll_once();
  // CHECK-FIX@-2: while (!st.stop_requested())
}
void start_named() {
  std::jthread t(token_loop); // CHECK-NOTE: task started here
}

// Workers emplaced into a container of jthreads; a generic lambda receives
// the token too.
struct Workers {
  std::vector<std::jthread> threads;
  void start() {
    threads.emplace_back([](auto tok) { // CHECK-NOTE: task started here
      while (true) // CHECK-WARN: std::jthread loop can never end and never checks its std::stop_token
        poll_once();
      // CHECK-FIX@-2: while (!tok.stop_requested())
    });
    // With an extra argument, the callable does not receive the token.
    threads.emplace_back([](int n) { // CHECK-NOTE: task started here
      for (;;) // CHECK-WARN: std::jthread loop can never end; the jthread's destructor will block forever
        poll_once(); // CHECK-NOTE@-1: take a std::stop_token as the first parameter
    }, 4);
    threads.emplace_back([](std::stop_token st, int n) {
      while (!st.stop_requested())
        poll_once();
    }, 4);
  }
};

// A lambda that forwards the token to a member function.
struct Service {
  std::jthread worker{[this](std::stop_token st) { run(st); }}; // CHECK-NOTE: task started here
  void run(std::stop_token token) {
    for (;;) // CHECK-WARN: std::jthread loop can never end and never checks its std::stop_token
      poll_once();
    // CHECK-FIX@-2: while (!token.stop_requested())
  }
};

// --- Not flagged -----------------------------------------------------------

void checks_token() {
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested())
      poll_once();
  });
}

void breaks_on_token() {
  std::jthread t([](std::stop_token st) {
    while (true) {
      if (st.stop_requested())
        break;
      poll_once();
    }
  });
}

void returns() {
  std::jthread t([](std::stop_token st) {
    for (;;) {
      if (st.stop_requested())
        return;
      poll_once();
    }
  });
}

void passes_token() {
  std::jthread t([](std::stop_token st) {
    for (;;)
      work_until(st);
  });
}

[[noreturn]] void fatal();
void noreturn_exit() {
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested()) {
      for (;;) {
        if (!try_poll())
          fatal();
      }
    }
  });
}

void throws() {
  std::jthread t([](std::stop_token st) {
    (void)st;
    for (;;) {
      if (!try_poll())
        throw 1;
    }
  });
}

void bounded() {
  std::jthread t([](std::stop_token st) {
    for (int i = 0; i < 10; ++i)
      poll_once();
  });
}

void goto_out() {
  std::jthread t([] {
    for (;;) {
      if (!try_poll())
        goto done;
    }
  done:
    return;
  });
}

void stop_token_wait(Queue &q) {
  std::jthread t([&q](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(q.m);
      q.cva.wait(lk, st, [&] { return q.ready; });
    }
  });
}

void timed_wait(Queue &q) {
  std::jthread t([&q](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(q.m);
      q.cv.wait_for(lk, std::chrono::milliseconds(10));
    }
  });
}

void stop_callback_notifies(Queue &q) {
  std::jthread t([&q](std::stop_token st) {
    std::stop_callback cb(st, [&q] { q.cv.notify_all(); });
    while (!st.stop_requested()) {
      std::unique_lock lk(q.m);
      q.cv.wait(lk);
    }
  });
}

struct ServiceOk {
  std::jthread worker{[this](std::stop_token st) { run(st); }};
  void run(std::stop_token token) {
    while (!token.stop_requested())
      poll_once();
  }
};

void jthread_no_loop() {
  std::jthread t([] { poll_once(); });
}
