// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++17
// The synchronous wrapper of an asynchronous call: a callback that captures
// a local promise by reference is kept by the callee (stored in a member
// until the operation completes), and the function waits on the promise's
// future before it returns. Once the wait returns the callback has set the
// promise, its last use of the function's locals (drogon's
// `DbClientImpl::newTransaction`: `std::promise<...> pro; auto f =
// pro.get_future(); newTransactionAsync([&pro](...) { pro.set_value(trans);
// }); auto trans = f.get();`). Still reported: a path that returns without
// the wait, a timed wait, a local the callback uses after the set, a set in
// a loop of the callback, and a future of another promise.
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <vector>

struct Client {
  void async(std::function<void(int)> cb) { pending_.push_back(std::move(cb)); }
  void asyncResult(int, std::function<void(int)> cb);
  std::vector<std::function<void(int)>> pending_;
};

int sync(Client &c) {
  std::promise<int> pro;
  auto f = pro.get_future();
  c.async([&pro](int v) { pro.set_value(v); });
  return f.get();
}

int syncDirect(Client &c) {
  std::promise<int> pro;
  c.async([&pro](int v) { pro.set_value(v); });
  return pro.get_future().get();
}

// A result written before the set.
int syncWithResult(Client &c) {
  std::promise<void> done;
  std::future<void> f = done.get_future();
  int result = 0;
  c.async([&](int v) {
    result = v;
    done.set_value();
  });
  f.wait();
  return result;
}

// Returns early on one path without waiting.
int earlyReturn(Client &c, bool quick) {
  std::promise<int> pro;
  auto f = pro.get_future();
  // CHECK-WARN@+2: 'pro' is captured by reference in a lambda that is stored in 'c'; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@+1: stored here
  c.async([&pro](int v) { pro.set_value(v); });
  if (quick)
    return -1;
  return f.get();
}

// A timed wait may give up first.
int timed(Client &c) {
  std::promise<int> pro;
  auto f = pro.get_future();
  // CHECK-WARN@+2: 'pro' is captured by reference in a lambda that is stored in 'c'; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@+1: stored here
  c.async([&pro](int v) { pro.set_value(v); });
  if (f.wait_for(std::chrono::seconds(1)) != std::future_status::ready)
    return -1;
  return f.get();
}

// The callback counts after the set: the count may outlive the wait.
int usedAfterSet(Client &c) {
  std::promise<int> pro;
  auto f = pro.get_future();
  int calls = 0;
  // CHECK-WARN@+2: 'calls' is captured by reference in a lambda that is stored in 'c'; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@+1: stored here
  c.async([&pro, &calls](int v) {
    pro.set_value(v);
    ++calls;
  });
  return f.get() + calls;
}

// The future of another promise.
int otherPromise(Client &c) {
  std::promise<int> pro, other;
  auto f = other.get_future();
  // CHECK-WARN@+2: 'pro' is captured by reference in a lambda that is stored in 'c'; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@+1: stored here
  c.async([&pro](int v) { pro.set_value(v); });
  other.set_value(0);
  return f.get();
}

// Set in a loop of the callback: a later iteration may use the promise
// after the wait has returned.
int setInLoop(Client &c) {
  std::promise<int> pro;
  auto f = pro.get_future();
  // CHECK-WARN@+2: 'pro' is captured by reference in a lambda that is stored in 'c'; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@+1: stored here
  c.async([&pro](int v) {
    for (int i = 0; i < v; ++i)
      if (i == 3)
        pro.set_value(i);
  });
  return f.get();
}
