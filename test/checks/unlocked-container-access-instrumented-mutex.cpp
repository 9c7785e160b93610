// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A project's mutex that wraps one mutex beside plain data (rocksdb's
// InstrumentedMutex: a port::Mutex, a statistics pointer, a clock), whose
// Lock() is defined in another translation unit and whose Unlock() unlocks
// the inner mutex inline: both lock the wrapper. A function that locks and
// unlocks it (`db->mutex_.Lock(); ...; db->mutex_.Unlock();`) releases no
// lock it was entered with, so neither it nor its callers are taken for
// functions entered under the DB mutex (round 19's rocksdb: 34 findings on
// ForwardIterator's lists, "modified under 'mutex_'" before SVCleanup()).
// Still reported: a list the wrapper's lock guards elsewhere, written
// without it.
#include <vector>

namespace port {
class Mutex {
public:
  void Lock();
  void Unlock();
  void AssertHeld() const;
};
} // namespace port
struct Statistics;

class InstrumentedMutex {
public:
  void Lock();
  void Unlock() { mutex_.Unlock(); }
  void AssertHeld() const { mutex_.AssertHeld(); }

private:
  port::Mutex mutex_;
  Statistics *stats_ = nullptr;
  int stats_code_ = 0;
};

struct DBImpl {
  InstrumentedMutex mutex_;
};

class ForwardIterator {
public:
  static void SVCleanup(DBImpl *db) {
    db->mutex_.Lock();
    db->mutex_.Unlock();
  }
  void Cleanup() {
    imm_iters_.clear(); // not under the DB mutex
    SVCleanup(db_);
  }
  void Rebuild() {
    Cleanup();
    imm_iters_.push_back(1);
  }
  int size() const { return static_cast<int>(imm_iters_.size()); }

private:
  DBImpl *db_ = nullptr;
  std::vector<int> imm_iters_;
};

// Still a lock: the wrapper's Lock() and inline Unlock() guard the list
// that Add() fills under it; Reset() clears it without.
class Cursor {
public:
  void Add(int v) {
    db_->mutex_.Lock();
    items_.push_back(v);
    db_->mutex_.Unlock();
  }
  void Reset() {
    items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@-5: 'items_' is modified under 'mutex_' here
  }

private:
  DBImpl *db_ = nullptr;
  std::vector<int> items_;
};
