// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// An upgrade of a reader-writer lock, recognised by the code that uses it:
// a function holding a mutex in shared mode calls a member of it that
// returns nothing and is no lock operation (`upgradeToWrite()`), and the
// next operation on that mutex, in the same block and on every path, is its
// exclusive release (`unlockWrite()`): the program's own contract says the
// member left the mutex held exclusively (releasing a write lock that is not
// held would be a bug). Between the two, a write is under the exclusive
// lock (round 14's quantum: quantum_locks_tests.cpp's readers upgrading to
// writers). The upgrade's body (an atomic compare-exchange loop) tells
// nothing a recogniser could use.
#include <atomic>
#include <thread>
#include <vector>

class RwSpin {
public:
  void lockRead() {
    int c;
    do {
      c = count_.load();
    } while (c < 0 || !count_.compare_exchange_weak(c, c + 1));
  }
  void lockWrite() {
    int z = 0;
    while (!count_.compare_exchange_weak(z, -1))
      z = 0;
  }
  void unlockRead() { --count_; }
  void unlockWrite() { count_ = 0; }
  void upgradeToWrite() {
    int one = 1;
    while (!count_.compare_exchange_weak(one, -1))
      one = 1;
  }
  bool tryUpgradeToWrite() {
    int one = 1;
    return count_.compare_exchange_strong(one, -1);
  }
  void touch() {}
  bool isWriteLocked() const { return count_ < 0; }

private:
  std::atomic<int> count_{0};
};

// 1. Not reported: readers upgrading to writers before they modify (a
// query of the lock's state in between changes nothing).
void upgraded() {
  RwSpin lock;
  std::vector<int> data;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&lock, &data, i] {
      lock.lockRead();
      lock.upgradeToWrite();
      data.push_back(i);
      bool ok = lock.isWriteLocked();
      (void)ok;
      lock.unlockWrite();
    });
  lock.lockWrite();
  data.clear();
  lock.unlockWrite();
  for (auto &t : threads)
    t.join();
}

// 2. Still reported: a member call followed by the shared release (no
// upgrade: the write is under the reader lock).
void notUpgraded() {
  RwSpin lock;
  std::vector<int> data;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&lock, &data, i] {
      lock.lockRead();
      lock.touch();
      // CHECK-WARN@+1: container 'data' is modified without holding 'lock' while another thread modifies it
      data.push_back(i);
      lock.unlockRead();
    }); // CHECK-NOTE@-6: the thread is started in a loop and runs concurrently with itself
  for (auto &t : threads)
    t.join();
}

// 3. Still reported: a try-upgrade whose result is not tested, an upgrade
// followed by the exclusive release on one branch only, and one followed by
// another member call that may change the lock's state.
void tryUpgrade() {
  RwSpin lock;
  std::vector<int> data;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&lock, &data, i] {
      lock.lockRead();
      lock.tryUpgradeToWrite();
      // CHECK-WARN@+1: container 'data' is modified without holding 'lock' while another thread modifies it
      data.push_back(i);
      lock.unlockWrite();
    }); // CHECK-NOTE@-6: the thread is started in a loop and runs concurrently with itself
  for (auto &t : threads)
    t.join();
}

void upgradeOnOneBranch(bool exclusive) {
  RwSpin lock;
  std::vector<int> data;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&lock, &data, exclusive, i] {
      lock.lockRead();
      lock.upgradeToWrite();
      // CHECK-WARN@+1: container 'data' is modified without holding 'lock' while another thread modifies it
      data.push_back(i);
      if (exclusive)
        lock.unlockWrite();
      else
        lock.unlockRead();
    }); // CHECK-NOTE@-9: the thread is started in a loop and runs concurrently with itself
  for (auto &t : threads)
    t.join();
}

void otherCallBetween() {
  RwSpin lock;
  std::vector<int> data;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&lock, &data, i] {
      lock.lockRead();
      lock.upgradeToWrite();
      // CHECK-WARN@+1: container 'data' is modified without holding 'lock' while another thread modifies it
      data.push_back(i);
      lock.touch();
      lock.unlockWrite();
    }); // CHECK-NOTE@-7: the thread is started in a loop and runs concurrently with itself
  for (auto &t : threads)
    t.join();
}
