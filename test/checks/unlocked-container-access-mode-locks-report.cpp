// ReportModeConditionalLocks: true reports the accesses made on the
// unlocked arm of a mode flag whose other arm takes the lock, which
// unlocked-container-access-mode-locks.cpp shows left out by default.
// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ReportModeConditionalLocks: true}}" -- -std=c++17
#include <list>
#include <mutex>
#include <vector>

class Journal {
public:
  void add(int V) {
    std::unique_lock<std::mutex> Lk(Mu, std::defer_lock);
    if (Threaded)
      Lk.lock();
    Entries.push_back(V); // CHECK-WARN: container 'Entries' is modified without holding 'Mu', which guards its other accesses
  }
  void drop() {
    std::lock_guard<std::mutex> G(Mu);
    Entries.clear(); // CHECK-NOTE: 'Entries' is modified under 'Mu' here
  }
  int count() {
    std::lock_guard<std::mutex> G(Mu);
    return static_cast<int>(Entries.size());
  }

private:
  std::mutex Mu;
  std::vector<int> Entries;
  bool Threaded = false;
};

// The branch in the caller, the accesses in a callee.
class IoQueue {
public:
  IoQueue(bool LoadBalance) : LoadBalance(LoadBalance) {}
  void enqueue(int Task) {
    std::lock_guard<std::mutex> G(Spin);
    doEnqueue(Task);
  }
  int dequeue() {
    if (LoadBalance) {
      std::lock_guard<std::mutex> G(Spin);
      return doDequeue();
    }
    return doDequeue();
  }

private:
  void doEnqueue(int Task) {
    Queue.emplace_back(Task); // CHECK-NOTE: 'Queue' is modified under 'Spin' here
    // CHECK-NOTE@-1: 'Queue' is modified under 'Spin' here
    // CHECK-NOTE@-2: 'Queue' is modified under 'Spin' here
  }
  int doDequeue() {
    if (Queue.empty()) // CHECK-WARN: container 'Queue' is read without holding 'Spin', which guards its other accesses
      return 0;
    int Task = Queue.front(); // CHECK-WARN: container 'Queue' is read without holding 'Spin', which guards its other accesses
    Queue.pop_front(); // CHECK-WARN: container 'Queue' is modified without holding 'Spin', which guards its other accesses
    return Task;
  }

  std::mutex Spin;
  std::list<int> Queue;
  const bool LoadBalance;
};
