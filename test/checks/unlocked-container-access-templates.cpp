// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// The member rule on class templates whose members are partly instantiated:
// guards written in dependent code (a mutex whose type is a template
// parameter), judged in the members never instantiated as in the others.
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <shared_mutex>

// ------------------------------------------------ guards in dependent code

// Guards of a template parameter's mutex type, in the spellings of a
// guard's declaration: `std::scoped_lock lock(mutex_)`, whose class is
// deduced only per instantiation, and the template argument written out
// (parentheses, braces, `auto lock = ...`). Only `push_back` and
// `pop_front` are instantiated.
template <typename T, typename Lock = std::mutex> class GuardedQueue {
public:
  void push_back(T v) {
    std::lock_guard<Lock> lock(mutex_);
    data_.push_back(std::move(v));
  }
  void push_front(T v) {
    std::unique_lock<Lock> lock{mutex_};
    data_.push_front(std::move(v));
  }
  bool empty() const {
    std::scoped_lock lock(mutex_);
    return data_.empty();
  }
  std::size_t size() const {
    std::scoped_lock<Lock> lock(mutex_);
    return data_.size();
  }
  void clear() {
    auto lock = std::lock_guard<Lock>(mutex_);
    data_.clear();
  }
  std::optional<T> pop_front() {
    std::scoped_lock lock(mutex_);
    if (data_.empty())
      return std::nullopt;
    T v = std::move(data_.front());
    data_.pop_front();
    return v;
  }

private:
  std::deque<T> data_;
  mutable Lock mutex_;
};

// Readers under a shared guard of the parameter's type, writers under an
// exclusive one.
template <typename T, typename Lock = std::shared_mutex> class SharedTable {
public:
  void add(T v) {
    std::unique_lock<Lock> lock(mutex_);
    data_.push_back(std::move(v));
  }
  std::size_t size() const {
    std::shared_lock<Lock> lock(mutex_);
    return data_.size();
  }

private:
  std::deque<T> data_;
  mutable Lock mutex_;
};

// Still reported: members that skip the lock, instantiated (`clear`) or not
// (`back`, `drain`), and accesses a dependent guard does not cover (after its
// block, or a guard constructed with `std::defer_lock`).
template <typename T, typename Lock = std::mutex> class LeakyQueue {
public:
  void push_back(T v) {
    std::scoped_lock lock(mutex_);
    // CHECK-NOTE@+3: 'data_' is modified under 'mutex_' here
    // CHECK-NOTE@+2: 'data_' is modified under 'mutex_' here
    // CHECK-NOTE@+1: 'data_' is modified under 'mutex_' here
    data_.push_back(std::move(v)); // CHECK-NOTE: 'data_' is modified under 'mutex_' here
  }
  void pop_back() {
    std::lock_guard<Lock> lock(mutex_);
    data_.pop_back();
  }
  T front() const {
    std::scoped_lock lock(mutex_);
    return data_.front();
  }
  bool empty() const {
    std::unique_lock<Lock> lock{mutex_};
    return data_.empty();
  }
  void clear() {
    // CHECK-WARN@+2: container 'data_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    data_.clear();
    // CHECK-FIX: std::scoped_lock lock(mutex_); data_.clear();
  }
  // An element read (not an emptiness test, which is dismissible by
  // default: ReportUnlockedEmptinessChecks).
  T back() const {
    // CHECK-WARN@+2: container 'data_' is read without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    return data_.back();
    // CHECK-FIX: std::scoped_lock lock(mutex_); return data_.back();
  }
  void drain() {
    {
      std::scoped_lock lock(mutex_);
      data_.pop_front();
    }
    data_.clear(); // CHECK-WARN: container 'data_' is modified without holding 'mutex_', which guards its other accesses
  }
  void push_front(T v) {
    std::unique_lock<Lock> lock(mutex_, std::defer_lock);
    data_.push_front(std::move(v)); // CHECK-WARN: container 'data_' is modified without holding 'mutex_', which guards its other accesses
  }

private:
  std::deque<T> data_;
  mutable Lock mutex_;
};

int useQueues() {
  GuardedQueue<int> a;
  a.push_back(1);
  SharedTable<int> t;
  t.add(3);
  LeakyQueue<int> c;
  c.push_back(3);
  c.clear();
  return a.pop_front().value_or(0);
}

// ------------------------------------------------ helpers of a class template

// Helpers called with the lock held only by a member never instantiated in
// this translation unit (`put`), of a class that is instantiated (its
// virtual destructor and `clear`): in the template's code their calls are
// not member calls yet. They are judged in `put`, as a non-template's are.
template <typename T> class LruCache {
public:
  virtual ~LruCache() { clear(); }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.clear();
  }
  void put(const T &v) {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.push_front(v);
    if (items_.size() > 8) {
      evict(v);
      trim();
    }
  }

protected:
  void evict(const T &) { items_.pop_back(); }
  void trim() { items_.pop_back(); }

private:
  std::mutex mutex_;
  std::list<T> items_;
};

class FileCache : public LruCache<int> {
public:
  int open(const char *path);
};

int serve(FileCache *files) { return files->open("index.html"); }

// Still reported: a helper a member never instantiated calls without the
// lock.
template <typename T> class LeakyLru {
public:
  virtual ~LeakyLru() { clear(); }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.clear(); // CHECK-NOTE: 'items_' is modified under 'mutex_' here
  }
  void put(const T &v) {
    std::lock_guard<std::mutex> lock(mutex_);
    items_.push_front(v);
    trim();
  }
  void shrink() { trim(); }

private:
  // CHECK-WARN@+1: container 'items_' is modified without holding 'mutex_', which guards its other accesses
  void trim() { items_.pop_back(); }

  std::mutex mutex_;
  std::list<T> items_;
};

class LeakyFiles : public LeakyLru<int> {};

int serveLeaky(LeakyFiles *files) { return files != nullptr; }

// ------------------------------------------------ a mutex type's own guard

// A guard whose type is a member type of the mutex's own type, in a class
// template as written (Poco's AbstractCache: `typename TMutex::ScopedLock
// lock(_mutex);` with `mutable TMutex _mutex;`, TMutex defaulting to a
// FastMutex whose ScopedLock locks in its constructor and unlocks in its
// destructor). Only `add` and `clear` are instantiated; `doAdd` is entered
// with the lock from `add`, and `keys` and `remove`, never instantiated, are
// read as written: a local of a member type of the mutex's type constructed
// from that mutex alone guards it.
class FastMutex {
public:
  class ScopedLock {
  public:
    explicit ScopedLock(FastMutex &m) : _m(m) { _m.lock(); }
    ~ScopedLock() { _m.unlock(); }

  private:
    FastMutex &_m;
  };
  void lock();
  void unlock();
};

template <class TKey, class TMutex = FastMutex> class KeyCache {
public:
  void add(const TKey &k) {
    typename TMutex::ScopedLock lock(_mutex);
    doAdd(k);
  }
  void clear() {
    typename TMutex::ScopedLock lock(_mutex);
    _data.clear();
  }
  std::deque<TKey> keys() const {
    typename TMutex::ScopedLock lock(_mutex);
    std::deque<TKey> r;
    for (auto it = _data.begin(); it != _data.end(); ++it)
      r.push_back(*it);
    return r;
  }
  void remove() {
    typename TMutex::ScopedLock lock{_mutex};
    _data.pop_back();
  }

protected:
  void doAdd(const TKey &k) { _data.push_back(k); }

private:
  std::deque<TKey> _data;
  mutable TMutex _mutex;
};

// Still reported: a member never instantiated that skips the guard, and a
// member type of the mutex's type constructed from another object (no
// guard of the mutex), while the other members lock.
template <class TKey, class TMutex = FastMutex> class LeakyKeyCache {
public:
  void add(const TKey &k) {
    typename TMutex::ScopedLock lock(_mutex);
    // CHECK-NOTE@+2: '_data' is modified under '_mutex' here
    // CHECK-NOTE@+1: '_data' is modified under '_mutex' here
    _data.push_back(k);
  }
  void clear() {
    typename TMutex::ScopedLock lock(_mutex);
    _data.clear();
  }
  std::size_t size() const {
    typename TMutex::ScopedLock lock(_mutex);
    return _data.size();
  }
  TKey last() const {
    // CHECK-WARN@+2: container '_data' is read without holding '_mutex', which guards its other accesses
    // CHECK-NOTE@+1: hold '_mutex' for this statement
    return _data.back();
    // CHECK-FIX: std::scoped_lock lock(_mutex); return _data.back();
  }
  void drop() {
    typename TMutex::ScopedLock lock(_other);
    // CHECK-WARN@+2: container '_data' is modified without holding '_mutex', which guards its other accesses
    // CHECK-NOTE@+1: hold '_mutex' for this statement
    _data.pop_back();
    // CHECK-FIX: { std::scoped_lock lock(_mutex); _data.pop_back(); }
  }

private:
  std::deque<TKey> _data;
  mutable TMutex _mutex;
  FastMutex _other;
};

int useKeyCaches() {
  KeyCache<int> a;
  a.add(1);
  a.clear();
  LeakyKeyCache<int> b;
  b.add(2);
  return 0;
}
