// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A project's mutex is recognised by its API, whatever the spelling of its
// members: a member whose name is "lock" (any case: Lock, lock) followed by
// words that name a mode (read, reader, shared, write, writer, exclusive,
// "for": lockRead, lock_write, lockForRead) or preceded by one (ReaderLock,
// WriterLock) acquires it, in shared mode for read/reader/shared; the same
// with "unlock" releases it. A class with an acquiring and a releasing
// member is a mutex (round 14's quantum: ReadWriteSpinLock's lockRead,
// lockWrite, unlockRead, unlockWrite and its Guard, which calls them from its
// constructor and destructor; abseil's Lock, Unlock, ReaderLock,
// ReaderUnlock). Try-locks, timed locks and upgrades are not acquisitions
// (tryLockRead, upgradeToWrite).
#include <atomic>
#include <list>
#include <map>
#include <string>
#include <thread>
#include <vector>

// A reader-writer spin lock with camel-case members.
class RwSpinLock {
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
  bool tryLockRead() {
    int c = count_.load();
    return c >= 0 && count_.compare_exchange_strong(c, c + 1);
  }
  void unlockRead() { --count_; }
  void unlockWrite() { count_ = 0; }
  bool upgradeToWrite() { return false; }
  struct ReadTag {};
  struct WriteTag {};
  // Acquires in the mode its tag names, releases in its destructor.
  class Guard {
  public:
    Guard(RwSpinLock &l, ReadTag) : l_(l), write_(false) { l_.lockRead(); }
    Guard(RwSpinLock &l, WriteTag) : l_(l), write_(true) { l_.lockWrite(); }
    ~Guard() {
      if (write_)
        l_.unlockWrite();
      else
        l_.unlockRead();
    }

  private:
    RwSpinLock &l_;
    bool write_;
  };

private:
  std::atomic<int> count_{0};
};
inline constexpr RwSpinLock::ReadTag acquireRead{};
inline constexpr RwSpinLock::WriteTag acquireWrite{};

// Readers under the guard in read mode, writers in write mode: not reported.
void readersAndWriters(int n) {
  std::list<int> val;
  RwSpinLock spin;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      RwSpinLock::Guard g(spin, acquireRead);
      auto it = val.rbegin();
      if (it != val.rend())
        ++it;
    }
  });
  std::thread writer([&, n]() mutable {
    while (n--) {
      RwSpinLock::Guard g(spin, acquireWrite);
      val.push_back(1);
    }
  });
  writer.join();
  stop = true;
  reader.join();
}

// The same with the lock's own members called by hand: not reported.
void byHand(int n) {
  std::vector<int> data;
  RwSpinLock lock;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&lock, &data, i] {
      lock.lockWrite();
      data.push_back(i);
      lock.unlockWrite();
    });
  lock.lockRead();
  size_t seen = data.size();
  lock.unlockRead();
  for (auto &t : threads)
    t.join();
  (void)seen;
}

// Member rule: a cache guarded by the lock in every function but one.
class Cache {
public:
  void put(const std::string &k, int v) {
    RwSpinLock::Guard g(lock_, acquireWrite);
    map_[k] = v; // CHECK-NOTE: 'map_' is modified under 'lock_' here
  }
  int get(const std::string &k) {
    RwSpinLock::Guard g(lock_, acquireRead);
    auto it = map_.find(k);
    return it == map_.end() ? 0 : it->second;
  }
  bool has(const std::string &k) {
    lock_.lockRead();
    bool found = map_.count(k) != 0;
    lock_.unlockRead();
    return found;
  }
  void erase(const std::string &k) {
    map_.erase(k); // CHECK-WARN: container 'map_' is modified without holding 'lock_', which guards its other accesses
  }
private:
  RwSpinLock lock_;
  std::map<std::string, int> map_;
};

// Member rule: a write under the read lock is not protected.
class Registry {
public:
  void add(int v) {
    RwSpinLock::Guard g(lock_, acquireWrite);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'lock_' here
  }
  void addWrongly(int v) {
    RwSpinLock::Guard g(lock_, acquireRead);
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'lock_'
  }
  size_t size() {
    RwSpinLock::Guard g(lock_, acquireRead);
    return items_.size();
  }

private:
  RwSpinLock lock_;
  std::vector<int> items_;
};

// A mutex with capitalised members (abseil's spelling).
class Mutex {
public:
  void Lock();
  void Unlock();
  void ReaderLock();
  void ReaderUnlock();
};
class Directory {
public:
  void add(const std::string &n) {
    mu_.Lock();
    names_.push_back(n); // CHECK-NOTE: 'names_' is modified under 'mu_' here
    mu_.Unlock();
  }
  size_t count() {
    mu_.ReaderLock();
    size_t n = names_.size();
    mu_.ReaderUnlock();
    return n;
  }
  void clear() {
    names_.clear(); // CHECK-WARN: container 'names_' is modified without holding 'mu_', which guards its other accesses
  }

private:
  Mutex mu_;
  std::vector<std::string> names_;
};

// Not a mutex: a class whose members only mention locking in other words
// (a "Locker" that is a door, "unlocks" no mutex). Nothing reported.
class Door {
public:
  void lockDoor();
  void unlockDoor();
};
class Building {
public:
  void enter(const std::string &who) {
    door_.lockDoor();
    visitors_.push_back(who);
    door_.unlockDoor();
  }
  void leave() { visitors_.clear(); }

private:
  Door door_;
  std::vector<std::string> visitors_;
};
