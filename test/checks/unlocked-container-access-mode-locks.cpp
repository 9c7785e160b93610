// A lock taken only in one MODE, decided by a flag: a function that takes
// the container's lock on one arm of a branch on a mode flag (a bool, enum or
// integer data member, a parameter, a static or global variable the function
// never writes) and not on the other decided its locking by configuration:
// the unlocked arm is the single-threaded mode. The accesses made on the
// flag-off arm, in the function or in the helpers it calls there, are taken
// as made under the lock the flag-on arm takes ("mode-locked"): neither
// reported nor counted as the unlocked evidence against the locked ones.
// Still reported: a lock decided by the container's own state (an emptiness
// test), a flag-off arm's access of another container than the lock guards,
// a lock decided by a runtime value the function computes (a call's result),
// a flag the function writes itself.
// With the option ReportModeConditionalLocks, the mode-locked accesses are
// reported as before (the REPORT run).
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// RUN: %scan_one %s pitfall-unlocked-container-access \
// RUN:   --option pitfall-unlocked-container-access.ReportModeConditionalLocks=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=REPORT
#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// ------------------------------------ log4cplus: attach_and_lock under a flag

namespace thread {
class Mutex {
public:
  void lock() const;
  void unlock() const;
};

template <class SyncPrim> class SyncGuard {
public:
  SyncGuard() : Sp(nullptr) {}
  explicit SyncGuard(SyncPrim const &M) : Sp(&M) { Sp->lock(); }
  ~SyncGuard() {
    if (Sp)
      Sp->unlock();
  }
  void lock() { Sp->lock(); }
  void unlock() { Sp->unlock(); }
  void attach(SyncPrim const &M) { Sp = &M; }
  void attach_and_lock(SyncPrim const &M) {
    attach(M);
    lock();
  }
  void detach() { Sp = nullptr; }

private:
  SyncPrim const *Sp;
};
using MutexGuard = SyncGuard<Mutex>;
} // namespace thread

class ObjectRegistry {
public:
  bool putVal(const std::string &Name, void *Object) {
    std::pair<std::map<std::string, void *>::iterator, bool> Ret;
    {
      thread::MutexGuard Guard;
      if (Locking)
        Guard.attach_and_lock(Mu);
      Ret = Data.insert({Name, Object}); // mode-locked: not reported
      // REPORT: mode-locks.cpp:[[@LINE-1]]:13: warning: container 'Data' is modified without holding 'Mu'
    }
    return Ret.second;
  }
  void *getVal(const std::string &Name) const {
    thread::MutexGuard Guard(Mu);
    auto It = Data.find(Name);
    return It != Data.end() ? It->second : nullptr;
  }
  void clear() {
    thread::MutexGuard Guard(Mu);
    Data.clear(); // CHECK-NOTE: 'Data' is modified under 'Mu' here
  }
  // Only start-up code switches the mode.
  void enableLocking(bool Enable) { Locking = Enable; }
  // A guard built empty and attached holds the mutex until it is destroyed.
  void rename(const std::string &From) {
    {
      thread::MutexGuard Guard;
      Guard.attach_and_lock(Mu);
      Data.erase(From);
    }
    Data.erase(From + "~"); // CHECK-WARN: container 'Data' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::map<std::string, void *> Data;
  thread::Mutex Mu;
  bool volatile Locking = true; // as log4cplus declares it
};

// A deferred standard guard locked under the flag.
class Journal {
public:
  void add(int V) {
    std::unique_lock<std::mutex> Lk(Mu, std::defer_lock);
    if (Threaded)
      Lk.lock();
    Entries.push_back(V); // mode-locked: not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:5: warning: container 'Entries' is modified without holding 'Mu'
  }
  void drop() {
    std::lock_guard<std::mutex> G(Mu);
    Entries.clear();
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

// `if (flag) m.lock(); access; if (flag) m.unlock();`, on a member and on a
// parameter.
class Tally {
public:
  void add(int V) {
    if (Shared)
      Mu.lock();
    Counts[V]++; // mode-locked: not reported
    if (Shared)
      Mu.unlock();
  }
  void addFrom(int V, bool Concurrent) {
    if (Concurrent)
      Mu.lock();
    Counts.erase(V); // mode-locked: not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:5: warning: container 'Counts' is modified without holding 'Mu'
    if (Concurrent)
      Mu.unlock();
  }
  int get(int V) {
    std::lock_guard<std::mutex> G(Mu);
    return Counts[V];
  }
  void reset() {
    std::lock_guard<std::mutex> G(Mu);
    Counts.clear();
  }

private:
  std::mutex Mu;
  std::map<int, int> Counts;
  bool Shared = true;
};

// -------------- quantum: the branch in the caller, the accesses in a callee

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
    return doDequeue(); // the single-threaded mode
  }
  int tryDequeue() {
    std::unique_lock<std::mutex> G(Spin, std::try_to_lock);
    if (G.owns_lock())
      return doDequeue();
    return 0;
  }

private:
  void doEnqueue(int Task) {
    if (Task > 0)
      Queue.emplace_front(Task);
    else
      Queue.emplace_back(Task);
  }
  int doDequeue() {
    if (Queue.empty()) // mode-locked in dequeue(): not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:9: warning: container 'Queue' is read without holding 'Spin'
      return 0;
    int Task = Queue.front(); // not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:16: warning: container 'Queue' is read without holding 'Spin'
    Queue.pop_front();        // not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:5: warning: container 'Queue' is modified without holding 'Spin'
    return Task;
  }

  std::mutex Spin;
  std::list<int> Queue;
  const bool LoadBalance;
};

// The same with an else arm: `if (flag) { lock; f(); } else f();`.
class Pool {
public:
  void put(int V) {
    std::lock_guard<std::mutex> G(Mu);
    Free.push_back(V);
  }
  int take() {
    if (Global) {
      std::lock_guard<std::mutex> G(Mu);
      return takeOne();
    } else {
      return takeOne();
    }
  }

private:
  int takeOne() {
    int V = Free.back(); // not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:13: warning: container 'Free' is read without holding 'Mu'
    Free.pop_back();     // not reported
    // REPORT: mode-locks.cpp:[[@LINE-1]]:5: warning: container 'Free' is modified without holding 'Mu'
    return V;
  }
  std::mutex Mu;
  std::vector<int> Free;
  bool Global = false;
};

// A static flag.
static bool MultiThreaded = true;
class Names {
public:
  void add(const std::string &N) {
    if (MultiThreaded) {
      std::lock_guard<std::mutex> G(Mu);
      All.push_back(N);
    } else {
      All.push_back(N); // mode-locked: not reported
      // REPORT: mode-locks.cpp:[[@LINE-1]]:7: warning: container 'All' is modified without holding 'Mu'
    }
  }
  std::size_t count() {
    std::lock_guard<std::mutex> G(Mu);
    return All.size();
  }
  void clear() {
    std::lock_guard<std::mutex> G(Mu);
    All.clear();
  }

private:
  std::mutex Mu;
  std::vector<std::string> All;
};

// ------------------------------------------------------- still reported

bool probe();

class Cache {
public:
  // The lock decided by the container's own state: the test reads it
  // without the lock, and the clear() on the empty path holds none.
  void flush() {
    std::unique_lock<std::mutex> Lk(Mu, std::defer_lock);
    if (!Pending.empty()) // CHECK-WARN: container 'Pending' is read without holding 'Mu', which guards its other accesses
      Lk.lock();
    Pending.clear(); // CHECK-WARN: container 'Pending' is modified without holding 'Mu', which guards its other accesses
  }
  // A runtime value the function computes: no configuration.
  void add(int V) {
    const bool Contended = probe();
    std::unique_lock<std::mutex> Lk(Mu, std::defer_lock);
    if (Contended)
      Lk.lock();
    Pending.push_back(V); // CHECK-WARN: container 'Pending' is modified without holding 'Mu', which guards its other accesses
  }
  // A flag the function writes itself.
  void addOnce(int V) {
    std::unique_lock<std::mutex> Lk(Mu, std::defer_lock);
    if (Locking)
      Lk.lock();
    Pending.push_back(V); // CHECK-WARN: container 'Pending' is modified without holding 'Mu', which guards its other accesses
    Locking = false;
  }
  void put(int V) {
    std::lock_guard<std::mutex> G(Mu);
    Pending.push_back(V); // CHECK-NOTE: 'Pending' is modified under 'Mu' here
    // CHECK-NOTE@-1: 'Pending' is modified under 'Mu' here
    // CHECK-NOTE@-2: 'Pending' is modified under 'Mu' here
    // CHECK-NOTE@-3: 'Pending' is modified under 'Mu' here
    // CHECK-NOTE@-4: 'Pending' is modified under 'Mu' here
    // CHECK-NOTE@-5: 'Pending' is modified under 'Mu' here
  }
  // The flag-off arm takes the mutex itself too: no mode of its own.
  void addOrTrim(int V) {
    if (Trim) {
      std::lock_guard<std::mutex> G(Mu);
      Pending.push_back(V);
    } else {
      Pending.push_back(V); // CHECK-WARN: container 'Pending' is modified without holding 'Mu', which guards its other accesses
      std::lock_guard<std::mutex> G(Mu);
      Pending.pop_back();
    }
  }
  // A test inside a loop: another thread may switch the flag between two
  // iterations.
  void addAll(const std::vector<int> &Vs) {
    for (int V : Vs) {
      std::unique_lock<std::mutex> Lk(Mu, std::defer_lock);
      if (Trim)
        Lk.lock();
      Pending.push_back(V); // CHECK-WARN: container 'Pending' is modified without holding 'Mu', which guards its other accesses
    }
  }
  int size() {
    std::lock_guard<std::mutex> G(Mu);
    return static_cast<int>(Pending.size());
  }
  void drop() {
    std::lock_guard<std::mutex> G(Mu);
    Pending.clear();
  }
  void pop() {
    std::lock_guard<std::mutex> G(Mu);
    Pending.pop_back();
  }

private:
  std::mutex Mu;
  std::vector<int> Pending;
  bool Locking = true;
  bool Trim = false;
};

// The flag's lock guards another container than the flag-off arm touches:
// Late is guarded by LateMu, which the flag-off arm does not hold.
class Router {
public:
  void route(int V) {
    if (Sync) {
      std::lock_guard<std::mutex> G(Mu);
      Early.push_back(V);
    } else {
      Late.push_back(V); // CHECK-WARN: container 'Late' is modified without holding 'LateMu', which guards its other accesses
    }
  }
  void flushEarly() {
    std::lock_guard<std::mutex> G(Mu);
    Early.clear();
  }
  void flushLate() {
    std::lock_guard<std::mutex> G(LateMu);
    Late.clear(); // CHECK-NOTE: 'Late' is modified under 'LateMu' here
  }

private:
  std::mutex Mu, LateMu;
  std::vector<int> Early, Late;
  bool Sync = true;
};

