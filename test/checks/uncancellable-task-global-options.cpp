// RUN: %check_tidy %s pitfall-uncancellable-task \
// RUN:   -config="{CheckOptions: {ThreadTypes: '::my::Thread', EscapeFunctions: 'my::later'}}" \
// RUN:   -- -std=c++20
// Project-wide options (set once for every pitfall check) are the defaults.
void poll_once();

namespace my {
struct Thread {
  template <class F> explicit Thread(F &&f) { f(); }
  void detach();
};
template <class F> void later(F &&f) {}
} // namespace my

void configured() {
  my::Thread([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  }).detach();
  my::later([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: task loop can never end; the task handed to 'later' runs on another thread and can never be stopped
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
}
