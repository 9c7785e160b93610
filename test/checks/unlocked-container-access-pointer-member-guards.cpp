// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// A guard class whose constructor calls a member of its own that stores the
// mutex's address in a pointer member and locks through that member
// (oneTBB's `rw_scoped_lock<Mutex>`, `unique_scoped_lock<Mutex>`): the
// constructor locks its argument, in the mode the constant `write` it is
// given selects; `release()` and the destructor unlock it through the same
// member. The member itself is never taken for a mutex of the program. A
// guard built empty holds the mutex after its `acquire(m)`, and where its
// `try_acquire(m)` tested true.
#include <list>

#define GUARD_ASSERT(p) ((void)0)

template <typename Mutex> class rw_scoped_lock {
public:
  constexpr rw_scoped_lock() noexcept {}
  rw_scoped_lock(Mutex &m, bool write = true) { acquire(m, write); }
  ~rw_scoped_lock() {
    if (m_mutex)
      release();
  }
  rw_scoped_lock(const rw_scoped_lock &) = delete;
  rw_scoped_lock &operator=(const rw_scoped_lock &) = delete;

  void acquire(Mutex &m, bool write = true) {
    GUARD_ASSERT(m_mutex == nullptr);
    m_is_writer = write;
    m_mutex = &m;
    if (write)
      m_mutex->lock();
    else
      m_mutex->lock_shared();
  }
  bool try_acquire(Mutex &m, bool write = true) {
    bool succeed = write ? m.try_lock() : m.try_lock_shared();
    if (succeed) {
      m_mutex = &m;
      m_is_writer = write;
    }
    return succeed;
  }
  void release() {
    GUARD_ASSERT(m_mutex != nullptr);
    Mutex *m = m_mutex;
    m_mutex = nullptr;
    if (m_is_writer)
      m->unlock();
    else
      m->unlock_shared();
  }

protected:
  Mutex *m_mutex{nullptr};
  bool m_is_writer{false};
};

template <typename Mutex> class unique_scoped_lock {
  Mutex *m_mutex{};

public:
  constexpr unique_scoped_lock() noexcept : m_mutex(nullptr) {}
  unique_scoped_lock(Mutex &m) { acquire(m); }
  void acquire(Mutex &m) {
    GUARD_ASSERT(m_mutex == nullptr);
    m_mutex = &m;
    m.lock();
  }
  bool try_acquire(Mutex &m) {
    bool succeed = m.try_lock();
    if (succeed)
      m_mutex = &m;
    return succeed;
  }
  void release() {
    m_mutex->unlock();
    m_mutex = nullptr;
  }
  ~unique_scoped_lock() {
    if (m_mutex)
      release();
  }
};

class spin_rw_mutex {
public:
  void lock();
  void unlock();
  bool try_lock();
  void lock_shared();
  void unlock_shared();
  bool try_lock_shared();
  using scoped_lock = rw_scoped_lock<spin_rw_mutex>;
};

class spin_mutex {
public:
  void lock();
  void unlock();
  bool try_lock();
  using scoped_lock = unique_scoped_lock<spin_mutex>;
};

// 1. The writer lock (`write` true, written or by default) and the reader
// lock for a read: nothing reported, and the guard's `m_mutex` is no mutex
// of the program (oneTBB's successor_cache: `scoped_lock l(my_mutex, true)`).
struct Successors {
  spin_rw_mutex my_mutex;
  std::list<int> my_successors;

  void registerSuccessor(int r) {
    spin_rw_mutex::scoped_lock l(my_mutex, true);
    my_successors.push_back(r);
  }
  void removeSuccessor() {
    spin_rw_mutex::scoped_lock l(my_mutex);
    my_successors.pop_front();
  }
  bool empty() {
    spin_rw_mutex::scoped_lock l(my_mutex, false);
    return my_successors.empty();
  }
};

// 2. A guard built empty: held after `acquire(m)` (in either mode the call
// fixes), and where `try_acquire(m)` returned true (oneTBB's
// task_stream::try_push()), until the guard is destroyed.
struct Lanes {
  spin_mutex my_mutex;
  std::list<int> my_queue;
  spin_rw_mutex rw;
  std::list<int> items;

  bool tryPush(int t) {
    spin_mutex::scoped_lock lock;
    if (lock.try_acquire(my_mutex)) {
      my_queue.push_back(t);
      return true;
    }
    return false;
  }
  bool tryPop() {
    spin_mutex::scoped_lock lock;
    if (lock.try_acquire(my_mutex) && !my_queue.empty()) {
      my_queue.pop_front();
      return true;
    }
    return false;
  }
  void push(int t) {
    spin_mutex::scoped_lock lock;
    lock.acquire(my_mutex);
    my_queue.push_back(t);
  }
  void add(int t) {
    spin_rw_mutex::scoped_lock lock;
    lock.acquire(rw, true);
    items.push_back(t);
  }
  bool tryAdd(int t) {
    spin_rw_mutex::scoped_lock lock;
    if (lock.try_acquire(rw)) {
      items.push_back(t);
      return true;
    }
    return false;
  }
  int first() {
    spin_rw_mutex::scoped_lock lock;
    lock.acquire(rw, false);
    return items.empty() ? 0 : items.front();
  }
};

// 3. Kept reported: a write under the reader lock, a write on the branch
// where the try-lock failed, and one after the guard's `release()`.
struct Kept {
  spin_rw_mutex m;
  std::list<int> succ;
  spin_mutex qm;
  std::list<int> q;

  void add(int r) {
    spin_rw_mutex::scoped_lock l(m, true);
    // CHECK-NOTE@+3: 'succ' is modified under 'm' here
    // CHECK-NOTE@+2: 'succ' is modified under 'm' here
    // CHECK-NOTE@+1: 'succ' is modified under 'm' here
    succ.push_back(r);
  }
  void addShared(int r) {
    spin_rw_mutex::scoped_lock l(m, false);
    // CHECK-WARN@+1: container 'succ' is modified without holding 'm', which guards its other accesses
    succ.push_back(r);
  }
  void addReleased(int r) {
    spin_rw_mutex::scoped_lock l(m, true);
    l.release();
    // CHECK-WARN@+1: container 'succ' is modified without holding 'm', which guards its other accesses
    succ.push_back(r);
  }
  void addFailed(int r) {
    spin_rw_mutex::scoped_lock l;
    if (!l.try_acquire(m)) {
      // CHECK-WARN@+1: container 'succ' is modified without holding 'm', which guards its other accesses
      succ.push_back(r);
      return;
    }
    succ.push_back(r);
  }
  void put(int r) {
    spin_mutex::scoped_lock l(qm);
    // CHECK-NOTE@+2: 'q' is modified under 'qm' here
    // CHECK-NOTE@+1: 'q' is modified under 'qm' here
    q.push_back(r);
  }
  void putReleased(int r) {
    spin_mutex::scoped_lock l(qm);
    l.release();
    // CHECK-WARN@+1: container 'q' is modified without holding 'qm', which guards its other accesses
    q.push_back(r);
  }
  void putAfterTry(int r) {
    {
      spin_mutex::scoped_lock l;
      if (l.try_acquire(qm))
        q.pop_front();
    }
    // CHECK-WARN@+1: container 'q' is modified without holding 'qm', which guards its other accesses
    q.push_back(r);
  }
};

// 4. A do-nothing mutex (no state, lock()/unlock() that do nothing: oneTBB's
// null_mutex / null_rw_mutex) is a class's declaration that its object is
// not shared: a template instantiated with it is judged by neither its
// accesses nor the evidence of the instantiations with a real mutex.
class quiet_rw_mutex {
public:
  constexpr quiet_rw_mutex() noexcept = default;
  class scoped_lock {
  public:
    scoped_lock() {}
    scoped_lock(quiet_rw_mutex &, bool = true) {}
    ~scoped_lock() = default;
    void acquire(quiet_rw_mutex &, bool = true) {}
    bool try_acquire(quiet_rw_mutex &, bool = true) { return true; }
    void release() {}
  };
  void lock() {}
  bool try_lock() { return true; }
  void unlock() {}
  void lock_shared() {}
  bool try_lock_shared() { return true; }
  void unlock_shared() {}
};

class queuing_rw_mutex {
public:
  void lock();
  void unlock();
  bool try_lock();
  void lock_shared();
  void unlock_shared();
  bool try_lock_shared();
  using scoped_lock = rw_scoped_lock<queuing_rw_mutex>;
};

// Every member function locks: the instantiation with the do-nothing mutex
// locks nothing, and is not judged by the two real ones' evidence.
template <typename M> class Cache {
  M my_mutex;
  std::list<int> my_items;

public:
  void add(int r) {
    typename M::scoped_lock l(my_mutex, true);
    my_items.push_back(r);
  }
  void remove() {
    typename M::scoped_lock l(my_mutex, true);
    my_items.pop_front();
  }
  bool empty() {
    typename M::scoped_lock l(my_mutex, false);
    return my_items.empty();
  }
};

Cache<spin_rw_mutex> SpinCache;
Cache<queuing_rw_mutex> QueuingCache;
Cache<quiet_rw_mutex> LocalCache;
void useCaches() {
  SpinCache.add(1);
  SpinCache.remove();
  (void)SpinCache.empty();
  QueuingCache.add(1);
  QueuingCache.remove();
  (void)QueuingCache.empty();
  LocalCache.add(1);
  LocalCache.remove();
  (void)LocalCache.empty();
}

// Both instantiations: only the real mutex's is judged (its unlocked write
// is not outvoted by the do-nothing instantiation's functions).
template <typename M> class Pool {
  M pm;
  std::list<int> pool;

public:
  void put(int r) {
    typename M::scoped_lock l(pm, true);
    // CHECK-NOTE@+1: 'pool' is modified under 'pm' here
    pool.push_back(r);
  }
  void take() {
    typename M::scoped_lock l(pm, true);
    pool.pop_front();
  }
  void putUnlocked(int r) {
    // CHECK-WARN@+3: container 'pool' is modified without holding 'pm', which guards its other accesses
    // CHECK-NOTE@+2: hold 'pm' for this statement
    // CHECK-FIX: std::scoped_lock lock(pm); pool.push_back(r);
    pool.push_back(r);
  }
};
Pool<spin_rw_mutex> SharedPool;
Pool<quiet_rw_mutex> PrivatePool;
void usePools() {
  SharedPool.put(1);
  SharedPool.take();
  SharedPool.putUnlocked(2);
  PrivatePool.put(1);
  PrivatePool.take();
  PrivatePool.putUnlocked(2);
}
