// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A spin lock written inline on an atomic flag: std::atomic_flag's
// test_and_set() (std::atomic<bool>'s exchange(true)) takes the flag when
// it returns false, clear() (store(false)) gives it back. The branch where
// the test-and-set returned false holds the flag as a lock, when the
// function also gives it back (ZLToolKit's ResourcePool: `auto is_busy =
// _busy.test_and_set(); if (!is_busy) { ... _objs.pop_back(); ...
// _busy.clear(); } else { ptr = _alloc(); }`). The branch where the flag
// was busy holds nothing. (A flag the function never gives back is a
// once-flag, not taken for a lock.)
#include <atomic>
#include <thread>
#include <vector>

// 1. Not reported: both sides hold the flag.
class Pool {
public:
  int *get() {
    int *p = nullptr;
    auto busy = busy_.test_and_set();
    if (!busy) {
      if (!objs_.empty()) {
        p = objs_.back();
        objs_.pop_back();
      }
      busy_.clear();
    }
    return p ? p : new int(0);
  }
  void put(int *p) {
    if (!busy_.test_and_set()) {
      objs_.push_back(p);
      busy_.clear();
    } else {
      delete p;
    }
  }

private:
  std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
  std::vector<int *> objs_;
};

void usePool() {
  Pool pool;
  std::thread a([&] { pool.put(pool.get()); });
  std::thread b([&] { pool.put(pool.get()); });
  a.join();
  b.join();
}

// 2. Not reported: a spin loop on an atomic<bool>, released by store(false).
class Spin {
public:
  void add(int v) {
    while (locked_.exchange(true, std::memory_order_acquire)) {
    }
    items_.push_back(v);
    locked_.store(false, std::memory_order_release);
  }
  void drop() {
    while (locked_.exchange(true)) {
    }
    if (!items_.empty())
      items_.pop_back();
    locked_.store(false);
  }

private:
  std::atomic<bool> locked_{false};
  std::vector<int> items_;
};

void useSpin() {
  Spin s;
  std::thread a([&] { s.add(1); });
  std::thread b([&] { s.drop(); });
  a.join();
  b.join();
}

// 3. Reported: the busy branch touches the container without the flag.
class Leaky {
public:
  void put(int v) {
    if (!busy_.test_and_set()) {
      objs_.push_back(v); // CHECK-NOTE: 'objs_' is modified under 'busy_' here
      busy_.clear();
    } else {
      objs_.push_back(v); // CHECK-WARN: container 'objs_' is modified without holding 'busy_', which guards its other accesses
    }
  }

private:
  std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
  std::vector<int> objs_;
};

void useLeaky() {
  Leaky l;
  std::thread a([&] { l.put(1); });
  std::thread b([&] { l.put(2); });
  a.join();
  b.join();
}
