// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Member rule: a function no code can call is no context. A member of a
// class in an anonymous namespace (internal linkage) that nothing in the
// translation unit invokes or names never runs: an overload of a visitor
// that no caller picks (CAF's metric registry test collector: the gauge
// overload of `operator()` beside the counter one the registry calls). Its
// unlocked write is no evidence against the lock the called overload's
// write is made under, and is not reported. Still reported: the same
// overload when something calls it without the lock, and an uncalled member
// of a class with external linkage (another translation unit may call it).
#include <mutex>
#include <string>
#include <thread>

struct Counter {
  int V = 0;
};
struct Gauge {
  int V = 0;
};

namespace {
struct Collector {
  std::mutex Mx;
  std::string Result;
  void operator()(const Counter *W) {
    std::lock_guard<std::mutex> G(Mx);
    Result += std::to_string(W->V);
  }
  // Never called: no finding.
  void operator()(const Gauge *W) { Result += std::to_string(W->V); }
};

struct CalledCollector {
  std::mutex Mx;
  std::string Result;
  void operator()(const Counter *W) {
    std::lock_guard<std::mutex> G(Mx);
    Result += std::to_string(W->V); // CHECK-NOTE: 'Result' is modified under 'Mx' here
  }
  void operator()(const Gauge *W) {
    // CHECK-WARN@+2: container 'Result' is modified without holding 'Mx', which guards its other accesses
    // CHECK-NOTE@+1: hold 'Mx' for this statement
    Result += std::to_string(W->V);
    // CHECK-FIX: std::scoped_lock lock(Mx); Result += std::to_string(W->V);
  }
};
} // namespace

struct PublicCollector {
  std::mutex Mx;
  std::string Result;
  void operator()(const Counter *W) {
    std::lock_guard<std::mutex> G(Mx);
    Result += std::to_string(W->V); // CHECK-NOTE: 'Result' is modified under 'Mx' here
  }
  void operator()(const Gauge *W) {
    // CHECK-WARN@+2: container 'Result' is modified without holding 'Mx', which guards its other accesses
    // CHECK-NOTE@+1: hold 'Mx' for this statement
    Result += std::to_string(W->V);
    // CHECK-FIX: std::scoped_lock lock(Mx); Result += std::to_string(W->V);
  }
};

void test() {
  Counter C;
  Gauge G;
  Collector A;
  CalledCollector B;
  PublicCollector P;
  std::thread T([&] { A(&C); B(&C); P(&C); });
  A(&C);
  B(&G);
  T.join();
}
