// The flow layer under pitfall-send-on-closed-channel: closes and sends in
// helpers (summaries), callables (lambdas, std::function, packaged_task,
// member function pointers), templates, exceptional edges (catch blocks are
// real paths), closes by other threads once they are known to have finished
// (happens-before), and correlated branches.
// RUN: %check_tidy %s pitfall-send-on-closed-channel -- -std=c++20 -I %S/../analyzer/Inputs
#include "chan.h"

#include <functional>
#include <future>
#include <latch>
#include <stdexcept>
#include <thread>

void mayThrow();
void work();

// ------------------------------------------------ helpers (summaries)

void shutdown(Chan<int> &c) { c.close(); }
void stop(Chan<int> &c) { shutdown(c); }
void emit(Chan<int> &c, int v) { (void)c.send(v); }
void emit_if_open(Chan<int> &c, int v) {
  if (!c.is_closed())
    (void)c.send(v);
}
void close_once(Chan<int> &c) {
  if (c.is_closed())
    return;
  c.close();
}
bool finished(Chan<int> &c) { return c.is_closed(); }

void closed_by_helper(Chan<int> &ch) {
  stop(ch); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void sent_by_helper(Chan<int> &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  emit(ch, 1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_twice_through_helper(Chan<int> &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  shutdown(ch); // CHECK-WARN: channel 'ch' may be closed twice
}

struct Producer {
  Chan<int> out_;
  void finish() { out_.close(); }
  void run() {
    finish(); // CHECK-NOTE: 'out_' is closed here
    (void)out_.send(1); // CHECK-WARN: send on channel 'out_' that may already be closed
  }
};

// Negative: the helper tests the channel before sending or closing, only
// tests it, or closes another channel.
void helper_guards_its_send(Chan<int> &ch) {
  ch.close();
  emit_if_open(ch, 1);
}

void helper_closes_once(Chan<int> &ch) {
  close_once(ch);
  close_once(ch);
}

void helper_only_tests(Chan<int> &ch) {
  if (finished(ch))
    return;
  (void)ch.send(1);
}

// A handle whose methods close and send on its shared channel (impl_):
// tested open, its channel is open too.
void handle_guarded(ChanRef<int> ch, bool stop) {
  if (stop)
    ch.close();
  if (!ch.closed())
    ch << 1;
}

void emit_on_handle(ChanRef<int> &c) {
  if (!c.closed())
    c << 1;
}

void handle_helper_guards(ChanRef<int> ch) {
  ch.close();
  emit_on_handle(ch);
}

void helper_closes_another(Chan<int> &a, Chan<int> &b) {
  shutdown(a);
  (void)b.send(1);
}

// ------------------------------------------------ callables

void closed_by_lambda(Chan<int> &ch) {
  auto close_it = [&] { ch.close(); };
  close_it(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_by_function(Chan<int> &ch) {
  std::function<void()> close_it = [&] { ch.close(); };
  close_it(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_by_packaged_task(Chan<int> &ch) {
  std::packaged_task<void()> task([&] { ch.close(); });
  task(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_by_member_pointer(Producer &p) {
  void (Producer::*fn)() = &Producer::finish;
  (p.*fn)(); // CHECK-NOTE: 'p.out_' is closed here
  (void)p.out_.send(1); // CHECK-WARN: send on channel 'p.out_' that may already be closed
}

void closed_by_bound_member(Producer &p) {
  std::function<void()> f = std::bind(&Producer::finish, &p);
  f(); // CHECK-NOTE: 'p.out_' is closed here
  (void)p.out_.send(1); // CHECK-WARN: send on channel 'p.out_' that may already be closed
}

// Negative: the callable only sends, is never called, or may hold anything.
void callable_sends_only(Chan<int> &ch) {
  auto send_one = [&] { (void)ch.send(1); };
  send_one();
  ch.close();
}

void callable_not_called(Chan<int> &ch) {
  auto close_it = [&] { ch.close(); };
  (void)close_it;
  (void)ch.send(1);
}

void callable_unknown(Chan<int> &ch, std::function<void()> f) {
  f();
  (void)ch.send(1);
}

// ------------------------------------------------ templates

// Instantiated twice, reported once, at the pattern.
template <typename C> void close_then_send(C &ch) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(0); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// Not a channel in its instantiation: nothing to report.
struct Socket {
  void close();
  bool send(int);
};

void use_close_then_send(Chan<int> &a, Chan<long> &b, Socket &s) {
  close_then_send(a);
  close_then_send(b);
  close_then_send(s);
}

// Never instantiated: analysed as written.
template <typename T> void never_instantiated(Chan<int> &ch, T) {
  ch.close(); // CHECK-NOTE: 'ch' is closed here
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// Never instantiated, and what the std::function holds depends on F: not
// followed (no finding, no crash).
template <typename F> void run_dependent(Chan<int> &ch, F f) {
  std::function<void()> fn(f);
  fn();
  (void)ch.send(1);
}

// A member of a class template.
template <typename T> struct Pipeline {
  Chan<T> out_;
  void stop() {
    out_.close(); // CHECK-NOTE: 'out_' is closed here
    (void)out_.send(T()); // CHECK-WARN: send on channel 'out_' that may already be closed
  }
  void stop_guarded() {
    out_.close();
    if (!out_.is_closed())
      (void)out_.send(T());
  }
};

void use_pipeline() {
  Pipeline<int>().stop();
  Pipeline<long>().stop();
  Pipeline<int>().stop_guarded();
}

// ------------------------------------------------ exceptional edges

// The handler closes and the code after the try statement sends.
void handler_closes_then_send(Chan<int> &ch) {
  try {
    mayThrow();
  } catch (...) {
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  }
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

// Closed before the call that throws: the handler's send follows the close.
void closed_before_the_throw(Chan<int> &ch) {
  try {
    ch.close(); // CHECK-NOTE: 'ch' is closed here
    mayThrow();
  } catch (const std::exception &) {
    (void)ch.send(-1); // CHECK-WARN: send on channel 'ch' that may already be closed
  }
}

// Negative: the handler closes and leaves; the close comes after the only
// call that throws.
void handler_closes_and_rethrows(Chan<int> &ch) {
  try {
    mayThrow();
  } catch (...) {
    ch.close();
    throw;
  }
  (void)ch.send(1);
}

void closed_after_the_throw(Chan<int> &ch) {
  try {
    mayThrow();
    ch.close();
  } catch (...) {
    (void)ch.send(-1);
  }
}

// ------------------------------------------------ other threads (happens-before)

void closed_by_joined_thread(Chan<int> &ch) {
  std::thread t([&] { ch.close(); }); // CHECK-NOTE: 'ch' is closed by the task started here
  t.join();
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_by_awaited_async(Chan<int> &ch) {
  auto closer = [&] { ch.close(); };
  auto done = std::async(std::launch::async, closer); // CHECK-NOTE: 'ch' is closed by the task started here
  done.get();
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void closed_before_latch(Chan<int> &ch) {
  std::latch closed(1);
  std::thread t([&] { // CHECK-NOTE: 'ch' is closed by the task started here
    ch.close();
    closed.count_down();
  });
  closed.wait();
  (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
  t.join();
}

// Negative: the thread may not have closed the channel yet (the send's status
// tells), or it closes another channel.
void closed_by_running_thread(Chan<int> &ch) {
  std::thread t([&] { ch.close(); });
  (void)ch.send(1);
  t.join();
}

// The usual pipeline: a consumer thread receives, the producer sends and
// then closes.
void pipeline(Chan<int> &ch, int n) {
  std::thread consumer([&] {
    while (ch.receive()) {
    }
  });
  for (int i = 0; i < n; ++i)
    (void)ch.send(i);
  ch.close();
  consumer.join();
}

void thread_closes_another(Chan<int> &a, Chan<int> &b) {
  std::thread t([&] { a.close(); });
  t.join();
  (void)b.send(1);
}

// ------------------------------------------------ correlated branches

// Negative: the send runs only where the close did not.
void closed_and_sent_under_opposite_conditions(Chan<int> &ch, bool done) {
  if (done)
    ch.close();
  work();
  if (!done)
    (void)ch.send(1);
}

void different_conditions(Chan<int> &ch, bool done, bool more) {
  if (done)
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  if (more)
    (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}

void condition_changes_in_between(Chan<int> &ch, bool done) {
  if (done)
    ch.close(); // CHECK-NOTE: 'ch' is closed here
  done = !done;
  if (!done)
    (void)ch.send(1); // CHECK-WARN: send on channel 'ch' that may already be closed
}
