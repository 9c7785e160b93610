// RUN: %check_tidy %s pitfall-unlocked-container-access,pitfall-lock-order-inversion -- -std=c++17
// A branch whose condition calls a member function through a pointer to
// member (`if ((this->*Test)())`, CAF's socket managers): the call names no
// method, and the lock analysis, which asks whether the condition tests a
// guard (`if (lk)`, `lk.owns_lock()`), must not take it for one (it crashed
// on 28 of CAF's translation units). The container is written under the
// caller's lock on every path: nothing is reported.
#include <mutex>
#include <thread>
#include <vector>

struct Conn {
  bool ready() const { return true; }
  bool (Conn::*Test)() const = &Conn::ready;
  std::mutex Mu;
  std::vector<int> Items;
  void poll() {
    if ((this->*Test)())
      Items.push_back(1);
  }
};

void run(Conn &C) {
  std::lock_guard<std::mutex> L(C.Mu);
  C.poll();
}

void twoThreads(Conn &C) {
  std::thread T([&C] { run(C); });
  run(C);
  T.join();
}
