// A flag hand-over: under a mutex a function stores a constant into a flag
// that no other function stores (its release aside, it alone writes the
// flag), releases the mutex and then touches the container; every other
// access of the container is made under the mutex after a test of the flag
// that leaves when it holds that constant. The store hands the container
// over: once it is made, no other function touches the container again.
// rocksdb's ThreadPoolImpl::Impl::JoinThreads (`assert(!exit_all_threads_);
// exit_all_threads_ = true;` under mu_, then the threads joined and cleared
// without it) and RangeLockList::ReleaseLocks (an atomic flag stored under
// the mutex, then the buffers walked and cleared). Broken forms stay
// reported.
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

void use(int);

// 1. rocksdb's thread pool: the joiner asserts the flag clear, sets it under
// the lock, then joins and clears the threads without it. Not reported.
class Pool {
public:
  ~Pool() { joinAll(); }
  void submit(int N) {
    std::lock_guard<std::mutex> L(Mu);
    if (Exit)
      return;
    while (static_cast<int>(Threads.size()) < N)
      Threads.emplace_back(&Pool::run, this);
  }
  void joinAll() {
    std::unique_lock<std::mutex> L(Mu);
    assert(!Exit);
    Exit = true;
    L.unlock();
    Cv.notify_all();
    for (auto &T : Threads)
      T.join();
    Threads.clear();
    Exit = false;
  }

private:
  void run() {
    std::unique_lock<std::mutex> L(Mu);
    while (!Exit && !Shrink)
      Cv.wait(L);
    if (Exit)
      return;
    // the last, excessive thread retires itself
    Threads.back().detach();
    Threads.pop_back();
  }

  std::mutex Mu;
  std::condition_variable Cv;
  bool Exit = false;
  bool Shrink = false;
  std::vector<std::thread> Threads;
};

// 2. The same hand-over without any test of the flag in the joiner: it
// alone stores the flag. The others test it under the lock, themselves or
// in the caller of a helper that reads the threads. Not reported.
class PlainPool {
public:
  ~PlainPool() { joinAll(); }
  void submit(int N) {
    std::lock_guard<std::mutex> L(Mu);
    if (Exit)
      return;
    while (static_cast<int>(Threads.size()) < N)
      Threads.emplace_back(&PlainPool::run, this);
    if (excessive())
      Cv.notify_all();
  }
  void joinAll() {
    std::unique_lock<std::mutex> L(Mu);
    Exit = true;
    L.unlock();
    Cv.notify_all();
    for (auto &T : Threads)
      T.join();
    Threads.clear();
  }

  // A public helper, called under the lock after the flag tested clear.
  bool excessive() const { return static_cast<int>(Threads.size()) > Limit; }

private:
  void run() {
    std::unique_lock<std::mutex> L(Mu);
    while (!Exit && !excessive())
      Cv.wait(L);
    if (!Exit) {
      Threads.back().detach();
      Threads.pop_back();
    }
  }

  std::mutex Mu;
  std::condition_variable Cv;
  bool Exit = false;
  int Limit = 0;
  std::vector<std::thread> Threads;
};

// 3. rocksdb's RangeLockList: an atomic flag stored under the mutex, then
// the buffers walked and cleared by a helper (the destructor's too).
// Every other user takes the mutex and tests the flag (an assertion is a
// test), then touches the buffers, itself or in a helper. Not reported.
struct Buffer {
  void destroy();
  void append(int);
  int size() const;
};
class RangeList {
public:
  ~RangeList() { clear(); }
  void append(int Cf, int Key) {
    std::lock_guard<std::mutex> L(M);
    assert(!Releasing.load());
    auto It = Buffers.find(Cf);
    if (It == Buffers.end())
      It = Buffers.emplace(Cf, std::make_shared<Buffer>()).first;
    It->second->append(Key);
  }
  void replace(int Cf, int Key) {
    std::lock_guard<std::mutex> L(M);
    if (Releasing.load())
      return;
    refill(Cf, Key);
  }
  void release() {
    {
      std::lock_guard<std::mutex> L(M);
      Releasing.store(true);
    }
    for (const auto &It : Buffers)
      if (It.second->size())
        use(It.first);
    clear();
    Releasing.store(false);
  }

private:
  void refill(int Cf, int Key) {
    auto It = Buffers.find(Cf);
    It->second->destroy();
    It->second->append(Key);
  }
  void clear() {
    for (auto It : Buffers)
      It.second->destroy();
    Buffers.clear();
  }

  std::map<int, std::shared_ptr<Buffer>> Buffers;
  std::mutex M;
  std::atomic<bool> Releasing{false};
};

void useRanges(RangeList &R) {
  std::thread A([&] { R.append(1, 2); });
  std::thread B([&] { R.replace(1, 3); });
  R.release();
  A.join();
  B.join();
}

// 4. Still reported: another user does not test the flag.
class Unchecked {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void remove() {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.pop_back();
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    for (int V : Items) // CHECK-WARN: container 'Items' is read without holding 'Mu', which guards its other accesses
      use(V);
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};

// 5. Still reported: another user tests the flag without the lock.
class TestedUnlocked {
public:
  void add(int V) {
    if (Stop)
      return;
    std::lock_guard<std::mutex> L(Mu);
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void remove() {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.pop_back();
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    for (int V : Items) // CHECK-WARN: container 'Items' is read without holding 'Mu', which guards its other accesses
      use(V);
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};

// 6. Still reported: another user goes on when the flag holds the value
// the hand-over stores.
class OtherValue {
public:
  enum State { Idle, Running, Stopping };
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (St != Running)
      return;
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void finish(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (St != Stopping)
      return;
    Items.push_back(V);
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(Mu);
      St = Stopping;
    }
    for (int V : Items) // CHECK-WARN: container 'Items' is read without holding 'Mu', which guards its other accesses
      use(V);
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  State St = Running;
  std::vector<int> Items;
};

// 7. Still reported: the flag is set without the lock.
class SetUnlocked {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void drain() {
    Stop = true;
    for (int V : Items) // CHECK-WARN: container 'Items' is read without holding 'Mu', which guards its other accesses
      use(V);
    // CHECK-NOTE@+2: hold 'Mu' for this statement
    // CHECK-FIX: std::scoped_lock lock(Mu); Items.clear();
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};

// 8. Still reported: the container is touched before the store.
class TouchedBefore {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void drain() {
    for (int V : Items) // CHECK-WARN: container 'Items' is read without holding 'Mu', which guards its other accesses
      use(V);
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};

// 9. Still reported: two functions make the hand-over store and touch the
// container after it: they race with each other.
class TwoOwners {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void remove() {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.pop_back();
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }
  void discard() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};

// 10. Still reported: another function sets the flag back and then touches
// the container without the lock.
class Restarted {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    // CHECK-NOTE@+1: 'Items' is modified under 'Mu' here
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void remove() {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.pop_back();
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }
  void restart(int V) {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = false;
    }
    Items.push_back(V); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};

// 11. Still reported: the hand-over is stored under another mutex than the
// one the other users test the flag under.
class OtherMutex {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
  }
  void remove() {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.pop_back();
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(StopMu);
      Stop = true;
    }
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu, StopMu;
  bool Stop = false;
  std::vector<int> Items;
};

// 12. Still reported: a helper that touches the container is called under
// the lock after the flag tested clear by one caller, without the test by
// another.
class HelperUntested {
public:
  void add(int V) {
    std::lock_guard<std::mutex> L(Mu);
    if (Stop)
      return;
    Items.push_back(V); // CHECK-NOTE: 'Items' is modified under 'Mu' here
    trim();
  }
  void shrink() {
    std::lock_guard<std::mutex> L(Mu);
    trim();
  }
  void trim() {
    if (Items.size() > 8)
      Items.pop_back();
  }
  void drain() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stop = true;
    }
    Items.clear(); // CHECK-WARN: container 'Items' is modified without holding 'Mu', which guards its other accesses
  }

private:
  std::mutex Mu;
  bool Stop = false;
  std::vector<int> Items;
};
