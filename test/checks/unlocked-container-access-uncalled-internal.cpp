// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Member rule: a function no code can call is no context. A member of a
// class in an anonymous namespace (internal linkage) that nothing in the
// translation unit invokes or names never runs: an overload of a visitor
// that no caller picks (CAF's metric registry test collector: the gauge
// overload of `operator()` beside the counter one the registry calls under
// its family's mutex). Its unlocked write is no evidence against the lock
// the called overload's write is made under, and is not reported. Still
// reported: the same overload when something calls it without the lock,
// and an uncalled member of a class with external linkage (another
// translation unit may call it).
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Metric {
  int V = 0;
};
struct Counter {
  int V = 0;
};
struct Gauge {
  int V = 0;
};

class Family {
public:
  template <class C> void collect(C &Col) const {
    std::unique_lock<std::mutex> G{Mx};
    for (auto &M : Metrics)
      Col(this, &M, &Count);
  }
  void add() {
    std::unique_lock<std::mutex> G{Mx};
    Metrics.emplace_back();
  }

private:
  mutable std::mutex Mx;
  std::vector<Metric> Metrics;
  Counter Count;
};

namespace {
struct Collector {
  std::string Result;
  void operator()(const Family *, const Metric *M, const Counter *W) {
    Result += std::to_string(M->V + W->V);
  }
  // Never called: no finding.
  void operator()(const Family *, const Metric *M, const Gauge *W) {
    Result += std::to_string(M->V + W->V);
  }
};

struct CalledCollector {
  std::string Result;
  void operator()(const Family *, const Metric *M, const Counter *W) {
    Result += std::to_string(M->V + W->V); // CHECK-NOTE: 'Result' is modified under 'Mx' here
  }
  void operator()(const Family *, const Metric *M, const Gauge *W) {
    Result += std::to_string(M->V + W->V); // CHECK-WARN: container 'Result' is modified without holding 'Mx', which guards its other accesses
  }
};
} // namespace

struct PublicCollector {
  std::string Result;
  void operator()(const Family *, const Metric *M, const Counter *W) {
    Result += std::to_string(M->V + W->V); // CHECK-NOTE: 'Result' is modified under 'Mx' here
  }
  void operator()(const Family *, const Metric *M, const Gauge *W) {
    Result += std::to_string(M->V + W->V); // CHECK-WARN: container 'Result' is modified without holding 'Mx', which guards its other accesses
  }
};

void test() {
  Family F;
  Collector C;
  CalledCollector CC;
  PublicCollector PC;
  std::thread T([&F] { F.add(); });
  F.collect(C);
  F.collect(CC);
  F.collect(PC);
  Metric M;
  Gauge G;
  CC(&F, &M, &G);
  T.join();
}
