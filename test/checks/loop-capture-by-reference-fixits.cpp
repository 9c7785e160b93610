// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Fix-its: [&i] -> [i], [=, &i] -> [=], [&] -> [&, a, b]; none for
// non-copyable or mutated variables, none in macros.
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

void use(int);
void consume(const std::unique_ptr<int> &);

void copy_default(int n) {
  for (int i = 0; i < n; ++i) {
    int twice = 2 * i;
    // CHECK-WARN@+3:30: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is detached here
    std::thread([=, &twice, &i] { use(twice + i); }).detach();
    // CHECK-WARN@-1:22: 'twice' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@-2: thread started here
    // CHECK-NOTE@-3: the thread is detached here
    // CHECK-FIX: std::thread([=] { use(twice + i); }).detach();
  }
}

void several_implicit(const std::vector<std::string> &names) {
  std::vector<std::jthread> ts;
  for (size_t k = 0; k < names.size(); ++k) {
    std::string tag = names[k] + "!";
    // CHECK-WARN@+5:33: 'tag' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+4: thread started here
    // CHECK-NOTE@+3: the thread is stored in 'ts' here
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&] { (void)tag.size(); use(static_cast<int>(k)); });
    // CHECK-WARN@-1:66: 'k' is captured by reference in a lambda that runs on a thread; the loop variable is shared
    // CHECK-FIX: ts.emplace_back([&, tag, k] { (void)tag.size(); use(static_cast<int>(k)); });
  }
}

void not_copyable(int n) {
  std::vector<std::jthread> ts;
  for (int k = 0; k < n; ++k) {
    auto p = std::make_unique<int>(k); // CHECK-NOTE: 'p' is not copyable: move it into the lambda with an init-capture or keep it alive until the lambda has run
    // CHECK-WARN@+3: 'p' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    ts.emplace_back([&p] { consume(p); });
  }
}

void mutated(int n) {
  std::vector<std::jthread> ts;
  for (int k = 0; k < n; ++k) {
    int hits = 0;
    // CHECK-WARN@+4:23: 'hits' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+3: thread started here
    // CHECK-NOTE@+2: the thread is stored in 'ts' here
    // CHECK-NOTE@+1:31: 'hits' is modified in the lambda: no fix-it
    ts.emplace_back([&hits] { ++hits; });
  }
}

// Bound to a non-const reference: a copy would be const in the lambda, and
// the binding would not compile.
struct Holder {
  int &out;
};
struct Counter {
  explicit Counter(int &c) : c(c) {}
  int &c;
};
void boundToReference(int n) {
  std::vector<std::jthread> ts;
  for (int k = 0; k < n; ++k) {
    int a = k, b = k, c = k;
    // CHECK-WARN@+4:23: 'a' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+3: thread started here
    // CHECK-NOTE@+2: the thread is stored in 'ts' here
    // CHECK-NOTE@+1:36: 'a' is modified in the lambda: no fix-it
    ts.emplace_back([&a] { Holder h{a}; use(h.out); });
    // CHECK-WARN@+4:23: 'b' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+3: thread started here
    // CHECK-NOTE@+2: the thread is stored in 'ts' here
    // CHECK-NOTE@+1:28: 'b' is modified in the lambda: no fix-it
    ts.emplace_back([&b] { int &r = b; use(r); });
    // CHECK-WARN@+4:23: 'c' is captured by reference in a lambda that runs on a thread; it is destroyed
    // CHECK-NOTE@+3: thread started here
    // CHECK-NOTE@+2: the thread is stored in 'ts' here
    // CHECK-NOTE@+1:36: 'c' is modified in the lambda: no fix-it
    ts.emplace_back([&c] { Counter x(c); use(x.c); });
  }
}

#define SPAWN(ts, body) ts.emplace_back([&] { body; })

void in_macro(int n) {
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    // CHECK-WARN@+3: 'i' is captured by reference in a lambda that runs on a thread
    // CHECK-NOTE@+2: thread started here
    // CHECK-NOTE@+1: the thread is stored in 'ts' here
    SPAWN(ts, use(i));
}
