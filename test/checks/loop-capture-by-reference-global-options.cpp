// RUN: %check_tidy %s pitfall-loop-capture-by-reference \
// RUN:   -config="{CheckOptions: {ThreadTypes: '::my::Thread', EscapeFunctions: 'my::later', pitfall-loop-capture-by-reference.EscapeFunctions: 'my::soon'}}" \
// RUN:   -- -std=c++20
// Project-wide options (set once for every pitfall check) are the defaults;
// the check's own entry wins over them.
void use(int);

namespace my {
struct Thread {
  template <class F> explicit Thread(F &&f) {}
  void detach();
};
template <class F> void later(F &&f) {}
template <class F> void soon(F &&f) {}
} // namespace my

void configured(int n) {
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+1: thread started here
    my::Thread([&i] { use(i); }).detach(); // CHECK-NOTE: the thread is detached here
  // CHECK-FIX: my::Thread([i] { use(i); }).detach();
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+2: 'i' is captured by reference in a lambda that is passed to 'soon'
    // CHECK-NOTE@+1: passed to 'soon' here
    my::soon([&i] { use(i); });
  // CHECK-FIX: my::soon([i] { use(i); });
  // The global EscapeFunctions is overridden by the check's own.
  for (int i = 0; i < n; ++i)
    my::later([&i] { use(i); });
}
