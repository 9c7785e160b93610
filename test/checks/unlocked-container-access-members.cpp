// Unlocked status queries (`size()`, `empty()` getters) are reported here:
// ReportUnlockedEmptinessChecks on (unlocked-container-access-emptiness.cpp
// has the default).
// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ReportUnlockedEmptinessChecks: true}}" -- -std=c++20
// Member rule: a data member some of whose accesses hold a mutex member is
// flagged where it is accessed without that mutex.
#include <condition_variable>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

class Cache {
public:
  void put(const std::string &k, int v) {
    std::lock_guard<std::mutex> lock(mu_);
    // CHECK-NOTE@+1: 'entries_' is modified under 'mu_' here
    entries_[k] = v; // CHECK-NOTE: 'entries_' is modified under 'mu_' here
  }
  // CHECK-WARN@+2: container 'entries_' is modified without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  void reset() { entries_.clear(); }
  // CHECK-FIX: void reset() { std::scoped_lock lock(mu_); entries_.clear(); }

  int get(const std::string &k) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(k);
    return it == entries_.end() ? 0 : it->second;
  }

  // Reads without the lock race with the locked writes (Go's race detector
  // reports them too).
  std::size_t size() const {
    return entries_.size(); // CHECK-WARN: container 'entries_' is read without holding 'mu_'
    // CHECK-NOTE@-1: hold 'mu_' for this statement
    // CHECK-FIX: std::scoped_lock lock(mu_); return entries_.size(); // CHECK-WARN: container 'entries_' is read without holding 'mu_'
  }

private:
  mutable std::mutex mu_;
  std::map<std::string, int> entries_;
};

// Element writes through operator[] race with a resize under the lock.
class Slots {
public:
  // CHECK-WARN@+2: container 'slots_' is read without holding 'a_'
  // CHECK-NOTE@+1: hold 'a_' for this statement
  void set(std::size_t i, int v) { slots_[i] = v; }
  // CHECK-FIX: void set(std::size_t i, int v) { std::scoped_lock lock(a_); slots_[i] = v; }
  void grow() {
    std::lock(a_, b_);
    std::lock_guard<std::mutex> l1(a_, std::adopt_lock);
    std::lock_guard<std::mutex> l2(b_, std::adopt_lock);
    slots_.resize(slots_.size() * 2); // CHECK-NOTE: 'slots_' is modified under 'a_' here
  }
  void shrink() {
    std::scoped_lock lock(a_, b_);
    slots_.pop_back();
  }

private:
  std::mutex a_, b_;
  std::vector<int> slots_;
};

// A different mutex does not protect the container.
class TwoLocks {
public:
  void add(int v) {
    std::scoped_lock lock(a_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'a_' here
  }
  void add2(int v) {
    std::scoped_lock lock(a_);
    items_.push_back(v);
  }
  void drop() {
    std::scoped_lock lock(b_);
    items_.pop_back(); // CHECK-WARN: container 'items_' is modified without holding 'a_'
  }

private:
  std::mutex a_, b_;
  std::vector<int> items_;
};

// unique_lock released before the access.
class Released {
public:
  void add(int v) {
    std::unique_lock<std::mutex> lock(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
    lock.unlock();
    items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_'
  }
  void relock(int v) {
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    lock.lock();
    items_.push_back(v);
  }
  void manual(int v) {
    mu_.lock();
    items_.push_back(v);
    mu_.unlock();
  }
  // Locked on one branch only: not held after the join. (On a parameter,
  // `if (b) mu_.lock();` would be a mode flag: the unlocked arm the
  // single-threaded mode, unlocked-container-access-mode-locks.cpp.)
  void maybe(int v) {
    const bool b = v > 0;
    if (b)
      mu_.lock();
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'mu_'
    if (b)
      mu_.unlock();
  }

private:
  std::mutex mu_;
  std::vector<int> items_;
};

// A write under a shared lock is not protected.
class SharedWrite {
public:
  void put(int k) {
    std::unique_lock lock(mu_);
    m_[k] = 1; // CHECK-NOTE: 'm_' is modified under 'mu_' here
  }
  void bad(int k) {
    std::shared_lock lock(mu_);
    m_.erase(k); // CHECK-WARN: container 'm_' is modified without holding 'mu_'
  }
  int get(int k) {
    std::shared_lock lock(mu_);
    auto it = m_.find(k);
    return it == m_.end() ? 0 : it->second;
  }

private:
  std::shared_mutex mu_;
  std::unordered_map<int, int> m_;
};

//===--- negative cases ---------------------------------------------------===//

// Readers under shared_lock, writers under unique_lock.
class ReadersWriters {
public:
  void put(int k, int v) {
    std::unique_lock lock(mu_);
    m_[k] = v;
  }
  int get(int k) const {
    std::shared_lock lock(mu_);
    auto it = m_.find(k);
    return it == m_.end() ? 0 : it->second;
  }
  bool has(int k) const {
    mu_.lock_shared();
    bool r = m_.count(k) != 0;
    mu_.unlock_shared();
    return r;
  }

private:
  mutable std::shared_mutex mu_;
  std::map<int, int> m_;
};

// Constructors and destructors access members without locks legitimately;
// so do private helpers called only from them.
class Lifetime {
public:
  Lifetime() {
    items_.reserve(16);
    init();
  }
  ~Lifetime() { items_.clear(); }
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v);
  }

private:
  void init() { items_.push_back(0); }
  std::mutex mu_;
  std::vector<int> items_;
};

// A private helper called only with the lock held inherits it.
class Helpers {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    addLocked(v);
  }
  void addTwice(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    addLocked(v);
    addLocked(v);
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mu_);
    items_.clear();
  }

private:
  void addLocked(int v) {
    items_.push_back(v);
    trim();
  }
  void trim() { // two levels down, still locked
    if (items_.size() > 100)
      items_.erase(items_.begin());
  }
  std::mutex mu_;
  std::vector<int> items_;
};

// Members never accessed under a lock: no discipline to check against.
class NoLocking {
public:
  void add(int v) { items_.push_back(v); }
  void clear() { items_.clear(); }

private:
  std::mutex mu_;
  std::vector<int> items_;
};

// Read-only after construction.
class ReadOnly {
public:
  ReadOnly() : names_{"a", "b"} {}
  bool has(const std::string &s) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto &n : names_)
      if (n == s)
        return true;
    return false;
  }
  std::size_t count() const { return names_.size(); }

private:
  mutable std::mutex mu_;
  std::vector<std::string> names_;
};

// A condition-variable predicate runs with the lock held.
class Queue {
public:
  void push(int v) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      q_.push_back(v);
    }
    cv_.notify_one();
  }
  int pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !q_.empty(); });
    int v = q_.front();
    q_.erase(q_.begin());
    return v;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> q_;
};

// Threads writing distinct elements of a pre-sized vector: element access is
// not a structural write.
class Results {
public:
  explicit Results(std::size_t n) : out_(n) {}
  void set(std::size_t i, int v) { out_[i] = v; }
  int at(std::size_t i) const { return out_.at(i); }
  void reset() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto &x : out_)
      x = 0;
  }

private:
  std::mutex mu_;
  std::vector<int> out_;
};

// No fix-it inside a macro: the warning stands alone.
#define CLEAR_ALL(c) (c).clear()
class Macro {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }
  void reset() {
    CLEAR_ALL(items_); // CHECK-WARN: container 'items_' is modified without holding 'mu_'
  }

private:
  std::mutex mu_;
  std::vector<int> items_;
};

// A worker's private queue, swapped with the shared one under the lock and
// otherwise used only by the worker: mostly accessed without the mutex, so
// the mutex is not taken as its guard.
class Worker {
public:
  void post(int t) {
    std::lock_guard<std::mutex> lock(mu_);
    public_.push_back(t);
  }
  void drain() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::swap(private_, public_);
    }
    while (!private_.empty())
      private_.pop_back();
  }
  void run_now(int t) { private_.push_back(t); }
  void run_all(const std::vector<int> &ts) {
    private_.insert(private_.end(), ts.begin(), ts.end());
  }

private:
  std::mutex mu_;
  std::vector<int> public_, private_;
};

// A function that takes the guard by reference runs with it held.
class Timers {
public:
  void add(int t) {
    std::unique_lock<std::mutex> lock(mu_);
    add_locked(lock, t);
  }
  void remove() {
    std::unique_lock<std::mutex> lock(mu_);
    requests_.pop_back();
  }
  void add_locked(std::unique_lock<std::mutex> &lock, int t) {
    requests_.push_back(t);
  }

private:
  std::mutex mu_;
  std::vector<int> requests_;
};

// A function that takes the guard by value runs with it held: a
// std::unique_lock can only be moved in (DuckDB's instance cache, whose
// `CreateInstanceInternal(..., std::unique_lock<std::mutex> lock, ...)`
// asserts it owns the lock, fills the map and unlocks it before the slow
// part).
class InstanceCache {
public:
  void get(int k) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!instances_.empty() && instances_.back() == k)
      return;
    create(k, std::move(lock));
  }
  void create(int k) { create(k, std::unique_lock<std::mutex>(mu_)); }

private:
  void create(int k, std::unique_lock<std::mutex> lock) {
    instances_.push_back(k);
    lock.unlock();
  }
  std::mutex mu_;
  std::vector<int> instances_;
};

// A private helper called once with and once without the lock inherits
// nothing; a lambda handed to a thread runs without the caller's lock.
#include <thread>
class Mixed {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    // CHECK-NOTE@+1: 'items_' is modified under 'mu_' here
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
    helper(v);
  }
  void remove() {
    std::lock_guard<std::mutex> lock(mu_);
    items_.pop_back();
  }
  void unsafe(int v) { helper(v); }
  void background() {
    std::lock_guard<std::mutex> lock(mu_);
    std::thread t([this] {
      items_.clear(); // CHECK-WARN: container 'items_' is modified without holding 'mu_'
    });
    t.detach();
  }

private:
  void helper(int v) {
    // no fix-it: add() calls this with mu_ held
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'mu_'
  }
  std::mutex mu_;
  std::vector<int> items_;
};

// A public accessor read without the lock, and a second accessor that only
// calls the first: one unguarded place, not two. The queue's guard is still
// the mutex its worker holds (the discipline counts the functions that
// access the member themselves, not every caller of such a function).
#include <condition_variable>
#include <deque>
#include <memory>
class TaskPool {
public:
  static std::unique_ptr<TaskPool> make() {
    std::unique_ptr<TaskPool> p(new TaskPool());
    p->worker_ = std::thread([self = p.get()] { self->work(); });
    return p;
  }
  ~TaskPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  // No fix-it: a const member function cannot lock a mutex that is not
  // `mutable`.
  // CHECK-WARN@+1: container 'queue_' is read without holding 'mu_', which guards its other accesses
  std::size_t pending() const { return queue_.size(); }
  bool idle() const { return pending() == 0; }

private:
  TaskPool() = default;
  void work() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty())
        return;
      // CHECK-NOTE@+1: 'queue_' is modified under 'mu_' here
      queue_.pop_front();
    }
  }
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> queue_;
  bool stop_ = false;
};

// The same with a `mutable` mutex: the fix-it locks it.
class MutablePool {
public:
  void start() {
    worker_ = std::thread([this] { work(); });
  }
  ~MutablePool() { worker_.join(); }
  // CHECK-WARN@+2: container 'queue_' is read without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  std::size_t pending() const { return queue_.size(); }
  // CHECK-FIX@-1: std::size_t pending() const { std::scoped_lock lock(mu_); return queue_.size(); }

private:
  void work() {
    std::lock_guard<std::mutex> lock(mu_);
    // CHECK-NOTE@+1: 'queue_' is modified under 'mu_' here
    queue_.push_back(1);
  }
  std::thread worker_;
  mutable std::mutex mu_;
  std::deque<int> queue_;
};

// A set-up function that resets the member and then starts the thread that
// uses it (directly or through a helper): the reset happens before the
// thread exists. The same reset after the start races with the thread.
class EventFixture {
public:
  void SetUp() {
    stop_ = false;
    events_.clear();
    start();
  }
  void SetUpDirect() {
    events_.clear();
    thread_ = std::thread([this] { consume(); });
  }
  void SetUpLate() {
    start();
    // CHECK-WARN@+2: container 'events_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mu_' for this statement
    events_.clear();
    // CHECK-FIX@-1: std::scoped_lock lock(mu_); events_.clear();
  }
  void TearDown() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    thread_.join();
  }
  void send(int e) {
    std::lock_guard<std::mutex> lock(mu_);
    // CHECK-NOTE@+1: 'events_' is modified under 'mu_' here
    events_.push_back(e);
  }

private:
  void start() { thread_ = std::thread([this] { consume(); }); }
  void consume() {
    std::lock_guard<std::mutex> lock(mu_);
    events_.pop_back();
  }
  std::thread thread_;
  std::mutex mu_;
  std::vector<int> events_;
  bool stop_ = false;
};

// A function-local static mutex guards nothing outside its function: no
// other function can take it, so its other accesses are not unguarded
// (a rate limiter around an error report that reads the name).
class ReportingLogger {
public:
  void take(std::vector<std::string> &Names) { names_.swap(Names); }
  void report() {
    static std::mutex RateLimit;
    std::lock_guard<std::mutex> Lock(RateLimit);
    (void)names_.size();
  }

private:
  std::vector<std::string> names_;
};

// The same with the mutex a member: it guards the member.
class GuardedLogger {
public:
  // CHECK-WARN@+2: container 'names_' is modified without holding 'mu_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mu_' for this statement
  void take(std::vector<std::string> &Names) { names_.swap(Names); } // CHECK-FIX: void take(std::vector<std::string> &Names) { std::scoped_lock lock(mu_); names_.swap(Names); }
  void report() {
    std::lock_guard<std::mutex> Lock(mu_);
    (void)names_.size(); // CHECK-NOTE: 'names_' is read under 'mu_' here
  }

private:
  std::mutex mu_;
  std::vector<std::string> names_;
};
