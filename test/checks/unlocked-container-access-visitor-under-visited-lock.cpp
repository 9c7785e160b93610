// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Member rule: a lock every caller holds on an object it hands the function
// through a parameter guards the callers' object, not the function's own
// members. CAF's metric registry: `metric_family_impl::collect(collector)`
// holds the family's `mx_` while it calls `collector(this, instance,
// wrapped)`; the collector (the Prometheus exporter, the test's string
// collector) appends to its own buffer there, and without the lock in its
// other member functions. The buffer is the collector's, used by one thread
// at a time: not reported. Still reported: a member the function's own
// object's mutex guards elsewhere, written without it.
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct Metric {
  int V = 0;
};

class Family {
public:
  template <class C> void collect(C &Col) const {
    std::unique_lock<std::mutex> G{Mx};
    for (auto &M : Metrics)
      Col(this, &M);
  }
  void add() {
    std::unique_lock<std::mutex> G{Mx};
    Metrics.emplace_back();
  }
  int prefix() const { return 1; }

private:
  mutable std::mutex Mx;
  std::vector<Metric> Metrics;
};

class Exporter {
public:
  void operator()(const Family *F, const Metric *M) {
    Buf += '\n';
    append(F->prefix());
    append(M->V);
  }
  void append(int X) { Buf += std::to_string(X); }

private:
  std::string Buf;
};

class LockedExporter {
public:
  void operator()(const Family *F, const Metric *M) {
    std::lock_guard<std::mutex> G(Own);
    Buf += std::to_string(F->prefix() + M->V); // CHECK-NOTE: 'Buf' is modified under 'Own' here
  }
  void reset() {
    // CHECK-WARN@+2: container 'Buf' is modified without holding 'Own', which guards its other accesses
    // CHECK-NOTE@+1: hold 'Own' for this statement
    Buf.clear();
    // CHECK-FIX: std::scoped_lock lock(Own); Buf.clear();
  }

private:
  std::mutex Own;
  std::string Buf;
};

void scrape(Family &F) {
  Exporter E;
  F.collect(E);
  LockedExporter L;
  L.reset();
  F.collect(L);
}

void run() {
  Family F;
  std::thread T([&F] { F.add(); });
  scrape(F);
  T.join();
}
