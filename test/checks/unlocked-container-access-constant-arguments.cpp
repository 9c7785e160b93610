// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// What a call does to a lock can depend on a constant it is given: a guard
// that locks when its timeout is 0 (the default) and try-locks otherwise
// (apache/thrift's `Guard`), a reader/writer guard that takes the writer
// lock when `write` is true (Poco's `ScopedRWLock`, also through a subclass
// whose constructor passes the constant), a reverse guard that unlocks in
// its constructor only when asked (Poco's `ScopedUnlock(m, false)`) and
// locks again in its destructor. The callee's branches decided by such a
// parameter are pruned where its summary is applied at that call. A lock
// the callee takes on some path only (a try-lock guard) is no acquisition,
// but the destructor's release is then no release of a lock the caller was
// entered with.
#include <list>
#include <map>
#include <mutex>
#include <string>

// apache/thrift's Mutex and Guard (thrift/concurrency/Mutex.h).
class Mutex {
public:
  void lock() const;
  void unlock() const;
  bool trylock() const;
  bool timedlock(long long ms) const;
};

class Guard {
public:
  Guard(const Mutex &value, long long timeout = 0) : mutex_(&value) {
    if (timeout == 0) {
      value.lock();
    } else if (timeout < 0) {
      if (!value.trylock())
        mutex_ = nullptr;
    } else {
      if (!value.timedlock(timeout))
        mutex_ = nullptr;
    }
  }
  ~Guard() {
    if (mutex_)
      mutex_->unlock();
  }
  operator bool() const { return mutex_ != nullptr; }

private:
  const Mutex *mutex_;
};

// 1. The default timeout: a scoped lock. An access before the guard's block
// is not made under it (thrift's TConcurrentClientSyncInfo: the caller was
// taken to be entered with the mutex, as the destructor released it).
struct SyncInfo {
  bool getPending(std::string &fname) {
    if (recvPending_) {
      recvPending_ = false;
      fname = fnamePending_;
      return true;
    }
    return false;
  }
  void updatePending(const std::string &fname, int rseqid) {
    recvPending_ = true;
    fnamePending_ = fname;
    int monitor;
    {
      Guard seqidGuard(seqidMutex_);
      auto i = seqidToMonitorMap_.find(rseqid);
      if (i == seqidToMonitorMap_.end())
        throw 1;
      monitor = i->second;
    }
    (void)monitor;
  }
  void addMonitor(int rseqid) {
    Guard seqidGuard(seqidMutex_);
    seqidToMonitorMap_[rseqid] = 1;
  }

  Mutex seqidMutex_;
  std::map<int, int> seqidToMonitorMap_;
  bool recvPending_ = false;
  std::string fnamePending_;
};

// 2. The timeout 0 written out: the same scoped lock.
struct Names {
  std::list<std::string> names_;
  std::list<std::string> pending_;
  Mutex mutex_;

  bool first(std::string &out) {
    if (pending_.empty())
      return false;
    out = pending_.front();
    return true;
  }
  void add(const std::string &n) {
    pending_.push_back(n);
    {
      Guard g(mutex_, 0);
      names_.push_back(n);
    }
  }
  void remove() {
    Guard g(mutex_, 0);
    names_.pop_front();
  }
};

// 3. Kept reported: a timeout the caller does not know (or -1, a try-lock),
// and the guard not tested before the access (it may hold nothing: the
// try-lock failed).
struct Tasks {
  std::list<int> tasks_;
  Mutex mutex_;

  void add(int t) {
    Guard g(mutex_);
    // CHECK-NOTE@+1: 'tasks_' is modified under 'mutex_' here
    tasks_.push_back(t);
  }
  void clear() {
    Guard g(mutex_);
    tasks_.clear();
  }
  void tryAdd(int t, long long timeout) {
    Guard g(mutex_, timeout);
    // CHECK-WARN@+1: container 'tasks_' is modified without holding 'mutex_', which guards its other accesses
    tasks_.push_back(t);
  }
  // Tested true (its conversion to bool): held (thrift's
  // ThreadManager::Impl::add()).
  void add(int t, long long timeout) {
    Guard g(mutex_, timeout);
    if (!g)
      throw 1;
    tasks_.push_back(t);
  }
  bool tryPop() {
    Guard g(mutex_, -1);
    if (g && !tasks_.empty()) {
      tasks_.pop_front();
      return true;
    }
    return false;
  }
};

// Poco's RWLock and its guards (Poco/RWLock.h).
class RWLock {
public:
  void readLock();
  void writeLock();
  void unlock();
};

class ScopedRWLock {
public:
  ScopedRWLock(RWLock &rwl, bool write = false) : _rwl(rwl) {
    if (write)
      _rwl.writeLock();
    else
      _rwl.readLock();
  }
  ~ScopedRWLock() { _rwl.unlock(); }

private:
  RWLock &_rwl;
};

class ScopedReadRWLock : public ScopedRWLock {
public:
  ScopedReadRWLock(RWLock &rwl) : ScopedRWLock(rwl, false) {}
};

class ScopedWriteRWLock : public ScopedRWLock {
public:
  ScopedWriteRWLock(RWLock &rwl) : ScopedRWLock(rwl, true) {}
};

// 4. `ScopedRWLock lock(_lock, true)` and the writer subclass take the
// writer lock: the writes under them exclude each other and the readers
// (Poco's TextEncodingManager, NotificationCenter).
class Encodings {
  mutable RWLock _lock;
  std::map<std::string, int> _encodings;

public:
  void add(const std::string &name, int e) {
    ScopedRWLock lock(_lock, true);
    _encodings[name] = e;
  }
  void remove(const std::string &name) {
    ScopedRWLock lock(_lock, true);
    _encodings.erase(name);
  }
  int find(const std::string &name) const {
    ScopedRWLock lock(_lock);
    auto it = _encodings.find(name);
    return it == _encodings.end() ? 0 : it->second;
  }
};

class Center {
  RWLock _mutex;
  std::list<int> _observers;

public:
  void addObserver(int o) {
    ScopedWriteRWLock lock(_mutex);
    _observers.push_back(o);
  }
  void removeObserver() {
    ScopedWriteRWLock lock(_mutex);
    _observers.pop_front();
  }
  void clear() {
    _mutex.writeLock();
    _observers.clear();
    _mutex.unlock();
  }
  bool hasObserver(int o) {
    _mutex.readLock();
    bool found = false;
    for (int p : _observers)
      found = found || p == o;
    _mutex.unlock();
    return found;
  }
};

// 5. Kept reported: a write under the reader lock (`write` false, written
// out or by default, or the reader subclass).
class Observers {
  RWLock _lock;
  std::list<int> _observers;

public:
  void add(int o) {
    ScopedRWLock lock(_lock, true);
    // CHECK-NOTE@+2: '_observers' is modified under '_lock' here
    // CHECK-NOTE@+1: '_observers' is modified under '_lock' here
    _observers.push_back(o);
  }
  void addShared(int o) {
    ScopedRWLock lock(_lock, false);
    // CHECK-WARN@+1: container '_observers' is modified without holding '_lock'
    _observers.push_back(o);
  }
  void removeShared() {
    ScopedReadRWLock lock(_lock);
    // CHECK-WARN@+1: container '_observers' is modified without holding '_lock'
    _observers.pop_front();
  }
};

// Poco's ScopedUnlock (Poco/ScopedUnlock.h): a reverse guard whose
// constructor unlocks only when asked and whose destructor locks again
// (a lock that throws is caught).
template <class M> class ScopedUnlock {
public:
  ScopedUnlock(M &mutex, bool unlockNow = true) : _mutex(mutex) {
    if (unlockNow)
      _mutex.unlock();
  }
  ~ScopedUnlock() {
    try {
      _mutex.lock();
    } catch (...) {
    }
  }

private:
  M &_mutex;
};

class Event {
public:
  void wait();
};

// An object that unlocks in its constructor when asked, and does nothing
// when destroyed.
template <class M> class Unlocker {
public:
  Unlocker(M &m, bool now) {
    if (now)
      m.unlock();
  }
};

// Poco's Condition::wait: the caller's mutex is released inside and held
// again when it returns.
class Condition {
public:
  template <class Mtx> void wait(Mtx &mutex) {
    ScopedUnlock<Mtx> unlock(mutex, false);
    Event event;
    {
      std::lock_guard<Mutex> lock(_mutex);
      mutex.unlock();
      enqueue(event);
    }
    event.wait();
  }
  void enqueue(Event &event);

private:
  Mutex _mutex;
};

// 6. The waiter's access after the wait is under its lock (Poco's
// ActiveThreadPool::joinAll()).
class Pool {
  Mutex mutex;
  Condition cond;
  std::list<int> items;
  int active = 0;

public:
  void put(int x) {
    std::lock_guard<Mutex> lock(mutex);
    items.push_back(x);
  }
  void get() {
    std::lock_guard<Mutex> lock(mutex);
    items.pop_front();
  }
  void joinAll() {
    std::lock_guard<Mutex> lock(mutex);
    while (active != 0)
      cond.wait(mutex);
    items.clear();
  }
};

// 7. A helper that unlocks through an object whose constructor unlocks when
// asked: it releases the caller's lock when told to (kept reported), not
// when told not to.
class Drainer {
  Mutex mutex;
  std::list<int> items;

public:
  void put(int x) {
    std::lock_guard<Mutex> lock(mutex);
    // CHECK-NOTE@+1: 'items' is modified under 'mutex' here
    items.push_back(x);
  }
  int front() {
    std::lock_guard<Mutex> lock(mutex);
    return items.empty() ? 0 : items.front();
  }
  void drain() {
    std::lock_guard<Mutex> lock(mutex);
    letGo();
    // CHECK-WARN@+1: container 'items' is modified without holding 'mutex', which guards its other accesses
    items.clear();
  }
  void hold() {
    std::lock_guard<Mutex> lock(mutex);
    keep();
    items.clear();
  }
  void letGo() { Unlocker<Mutex> u(mutex, true); }
  void keep() { Unlocker<Mutex> u(mutex, false); }
};
