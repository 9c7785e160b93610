// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Forms taken by real bugs: a container (or an iterator into it) used after
// the guard was unlocked; a mutable container changed in a const member
// function called from several threads; a global container indexed from
// thread entry points through helpers; a handoff through an event class.
// Each with the fixed shape.
#include <condition_variable>
#include <iterator>
#include <map>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

// ------------------------------------------------ after unlock()

class Queue {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    // One note per warning below.
    // CHECK-NOTE@+3: 'items_' is modified under 'mu_' here
    // CHECK-NOTE@+2: 'items_' is modified under 'mu_' here
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  int takeAfterUnlock() {
    std::unique_lock<std::mutex> lk(mu_);
    if (items_.empty())
      return -1;
    lk.unlock();
    int v = items_.back(); // CHECK-WARN: container 'items_' is read without holding 'mu_', which guards its other accesses
    items_.pop_back(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    return v;
  }
  int iteratorAfterUnlock() {
    std::unique_lock<std::mutex> lk(mu_);
    auto it = items_.begin();
    if (it == items_.end())
      return -1;
    lk.unlock();
    return *it; // CHECK-WARN: container 'items_' is read without holding 'mu_', which guards its other accesses
  }
  int iteratorAfterManualUnlock(int k) {
    mu_.lock();
    auto it = std::next(items_.begin(), k);
    mu_.unlock();
    return *it; // CHECK-WARN: container 'items_' is read without holding 'mu_', which guards its other accesses
  }
  // Not flagged: everything done before the unlock.
  int takeThenUnlock() {
    std::unique_lock<std::mutex> lk(mu_);
    if (items_.empty())
      return -1;
    int v = items_.back();
    items_.pop_back();
    lk.unlock();
    return v;
  }
  int iteratorUnderLock() {
    std::unique_lock<std::mutex> lk(mu_);
    auto it = items_.begin();
    int v = it == items_.end() ? -1 : *it;
    lk.unlock();
    return v;
  }

private:
  std::mutex mu_;
  std::vector<int> items_;
};

// ------------------------------------------------ mutable caches

class Memo {
public:
  int get(int k) const {
    auto it = memo_.find(k); // CHECK-WARN: container 'memo_' is read without a lock while another thread modifies it
    // A std::map's end() is its sentinel: no access (the find is reported).
    if (it != memo_.end())
      return it->second;
    int v = k * 2;
    // CHECK-NOTE@+1: conflicting modification on another thread
    memo_[k] = v; // CHECK-WARN: container 'memo_' is modified without a lock while another thread modifies it
    return v;
  }

private:
  mutable std::map<int, int> memo_;
};

void sharedMemo() {
  Memo m;
  std::thread a([&] { m.get(1); });
  std::thread b([&] { m.get(2); }); // CHECK-NOTE: conflicting modification on another thread
  a.join();
  b.join();
}

class LockedMemo {
public:
  int get(int k) const {
    std::lock_guard<std::mutex> g(mu_);
    auto it = memo_.find(k);
    if (it != memo_.end())
      return it->second;
    return memo_[k] = k * 2;
  }

private:
  mutable std::mutex mu_;
  mutable std::map<int, int> memo_;
};

void sharedLockedMemo() {
  LockedMemo m;
  std::thread a([&] { m.get(1); });
  std::thread b([&] { m.get(2); });
  a.join();
  b.join();
}

// ------------------------------------------------ globals from thread entries

std::map<std::string, int> g_counts;
static void bump(const std::string &k) { g_counts[k]++; } // CHECK-WARN: container 'g_counts' is modified without a lock while another thread modifies it
static void record(const char *k) { bump(k); }
static void *entry(void *) {
  record("x"); // CHECK-NOTE: conflicting modification on another thread
  return nullptr;
}

void startPthreads() {
  pthread_t a, b;
  pthread_create(&a, nullptr, entry, nullptr);
  pthread_create(&b, nullptr, entry, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
}

std::map<int, int> g_table;
static void put(int k) { g_table[k] = 1; } // CHECK-WARN: container 'g_table' is modified without a lock while another thread modifies it
static void worker(int k) { put(k); } // CHECK-NOTE: conflicting modification on another thread

void startThreads() {
  std::thread a(worker, 1);
  std::thread b(worker, 2);
  a.join();
  b.join();
}

// Not flagged: the helper locks; the threads run one after the other.
std::map<std::string, int> g_locked;
std::mutex g_locked_mu;
static void bumpLocked(const std::string &k) {
  std::lock_guard<std::mutex> g(g_locked_mu);
  g_locked[k]++;
}
static void *lockedEntry(void *) {
  bumpLocked("x");
  return nullptr;
}

void startLockedPthreads() {
  pthread_t a, b;
  pthread_create(&a, nullptr, lockedEntry, nullptr);
  pthread_create(&b, nullptr, lockedEntry, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
}

std::map<int, int> g_serial;
static void putSerial(int k) { g_serial[k] = 1; }

void startSerialThreads() {
  std::thread a(putSerial, 1);
  a.join();
  std::thread b(putSerial, 2);
  b.join();
}

// ------------------------------------------------ an event class's handoff

class Event {
public:
  void set() {
    {
      std::lock_guard<std::mutex> l(m_);
      on_ = true;
    }
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [this] { return on_; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  bool on_ = false;
};

void eventHandoff() {
  std::vector<int> v;
  Event ev;
  std::thread a([&] {
    v.push_back(1);
    ev.set();
  });
  std::thread b([&] {
    ev.wait();
    v.clear();
  });
  a.join();
  b.join();
}

void eventWaitedTooLate() {
  std::vector<int> v;
  Event ev;
  std::thread a([&] {
    v.push_back(1); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
    ev.set();
  });
  std::thread b([&] {
    v.clear(); // CHECK-NOTE: conflicting modification on another thread
    ev.wait();
  });
  a.join();
  b.join();
}
