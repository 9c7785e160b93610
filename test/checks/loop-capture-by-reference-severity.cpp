// The severity of each finding, as pitfall-scan reports it: a lambda returned
// out of the function refers to a variable that is gone whenever it is
// called (an error); a lambda on a thread, an executor or in a container
// may run before the variable ends (a warning).
// RUN: %scan_one %s pitfall-loop-capture-by-reference -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-loop-capture-by-reference]"
#include <functional>
#include <thread>
#include <vector>

void use(int);

std::function<void()> firstPositive(const std::vector<int> &v) {
  for (int x : v)
    if (x > 0)
      return [&x] { use(x); };
  // CHECK: severity.cpp:[[@LINE-1]]:16: error: 'x' is captured by reference in a lambda that is returned; {{.*}}[pitfall-loop-capture-by-reference]
  return {};
}

void threads(int n) {
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&i] { use(i); });
  // CHECK: severity.cpp:[[@LINE-1]]:23: warning: 'i' is captured by reference in a lambda that runs on a thread; {{.*}}[pitfall-loop-capture-by-reference]
  for (auto &t : ts)
    t.join();
}

// By copy: nothing to report.
std::function<void()> firstPositiveByCopy(const std::vector<int> &v) {
  for (int x : v)
    if (x > 0)
      return [x] { use(x); };
  return {};
}
