// RUN: %check_tidy %s pitfall-unbalanced-latch -config="{CheckOptions: {pitfall-unbalanced-latch.WaitGroupTypes: 'util::Countdown'}}" -- -std=c++20
// WaitGroupTypes replaces the default "*WaitGroup*" glob.
#include <thread>

namespace util {
struct Countdown {
  void Add(int);
  void Done();
  void Wait();
};
} // namespace util
struct WaitGroup {
  void add(int);
  void done();
  void wait();
};

void configured(util::Countdown &c) { // CHECK-NOTE: 'c' declared here
  std::thread t([&] { // CHECK-NOTE: worker started here; call add() before starting it
    c.Add(1); // CHECK-WARN: WaitGroup 'c' is incremented inside the worker it waits for; wait() can return before the worker has started
    c.Done();
  });
  c.Wait();
  t.join();
}

// No longer a WaitGroup under this configuration.
void default_name(WaitGroup &wg) {
  std::thread t([&] {
    wg.add(1);
    wg.done();
  });
  wg.wait();
  t.join();
}
