// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Member rule: locks held at a member's accesses by accident are no evidence
// that they guard it (round 19's luanti). A statement reached both with and
// without a mutex does what it does regardless of it; a mutex of another
// object (a member sub-object's), held around that object's use in one
// function, is held for that object.
#include <deque>
#include <mutex>
#include <string>
#include <vector>

struct Worker {
  void start();
};

// luanti's AsyncEngine: the private helper that adds a worker is called by
// initialize() without the lock and by stepAutoscale() under the job queue's
// lock, taken there for the job queue. The list of workers is the server
// thread's own: not reported.
class Engine {
public:
  ~Engine() {
    for (Worker *w : workers_)
      delete w;
    workers_.clear();
  }
  void initialize(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      addWorker();
  }
  void queueJob(int j) {
    std::lock_guard<std::mutex> l(jobQueueMutex_);
    jobQueue_.push_back(j);
  }
  void stepAutoscale() {
    if (workers_.size() >= maxWorkers_)
      return;
    std::lock_guard<std::mutex> l(jobQueueMutex_);
    size_t n = jobQueue_.size();
    while (n > 0) {
      addWorker();
      n--;
    }
  }

private:
  void addWorker() {
    Worker *w = new Worker;
    workers_.push_back(w);
    w->start();
  }
  std::vector<Worker *> workers_;
  std::deque<int> jobQueue_;
  std::mutex jobQueueMutex_;
  size_t maxWorkers_ = 4;
};

// The same with the list's size also read under the job queue's lock, to
// log it and to bound the loop: size tests inside another member's locked
// region, and the only write is made with and without the lock: not
// reported.
class LoggingEngine {
public:
  void initialize(unsigned n) {
    while (n-- > 0)
      addWorker();
  }
  void queueJob(int j) {
    std::lock_guard<std::mutex> l(jobQueueMutex_);
    jobQueue_.push_back(j);
  }
  void stepAutoscale() {
    if (workers_.size() >= maxWorkers_)
      return;
    std::lock_guard<std::mutex> l(jobQueueMutex_);
    size_t n = jobQueue_.size();
    while (workers_.size() < maxWorkers_ && n > 0) {
      addWorker();
      n--;
    }
  }
  void stepStuck() {
    std::lock_guard<std::mutex> l(jobQueueMutex_);
    if (!jobQueue_.empty())
      log(workers_.size());
  }

private:
  void log(size_t);
  void addWorker() {
    Worker *w = new Worker;
    workers_.push_back(w);
    w->start();
  }
  std::vector<Worker *> workers_;
  std::deque<int> jobQueue_;
  std::mutex jobQueueMutex_;
  size_t maxWorkers_ = 4;
};

// luanti's ServerMap: the database's mutex, a field of a member struct, held
// around the database's use in deleteBlock(), which also records the block;
// the server step frees the records without it. One function holding
// another object's mutex: not reported.
struct Database {
  std::mutex mutex;
  bool del(int pos);
};
struct Block {};
class Map {
public:
  bool deleteBlock(int pos) {
    std::lock_guard<std::mutex> l(db_.mutex);
    if (!db_.del(pos))
      return false;
    detached_.push_back(new Block);
    return true;
  }
  void step() {
    for (Block *b : detached_)
      delete b;
    detached_.clear();
  }

private:
  Database db_;
  std::vector<Block *> detached_;
};

// Still reported: a helper called with and without the lock, whose member is
// also modified under the lock by another function's own code.
class Pool {
public:
  void grow() { add(1); } // without the lock
  void growLocked() {
    std::lock_guard<std::mutex> l(m_);
    add(2);
  }
  void reset() {
    std::lock_guard<std::mutex> l(m_);
    items_.clear(); // CHECK-NOTE: 'items_' is modified under 'm_' here
  }
  size_t count() {
    std::lock_guard<std::mutex> l(m_);
    return items_.size();
  }

private:
  void add(int v) {
    // CHECK-WARN@+1: container 'items_' is modified without holding 'm_', which guards its other accesses
    items_.push_back(v);
  }
  std::mutex m_;
  std::vector<int> items_;
};

// Still reported: a member modified under its class's own mutex in two
// functions and read without it in a third.
class Registry {
public:
  void add(int v) {
    std::lock_guard<std::mutex> l(m_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'm_' here
  }
  void remove() {
    std::lock_guard<std::mutex> l(m_);
    items_.pop_back();
  }
  // CHECK-WARN@+2: container 'items_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() const { return items_.front(); }
  // CHECK-FIX: int first() const { std::scoped_lock lock(m_); return items_.front(); }

private:
  mutable std::mutex m_;
  std::vector<int> items_;
};

// Still reported: another object's mutex held at the member's accesses by
// two functions' own code: a discipline, whoever declares the mutex.
class Journal {
public:
  void record(int pos) {
    std::lock_guard<std::mutex> l(db_.mutex);
    db_.del(pos);
    entries_.push_back(pos); // CHECK-NOTE: 'entries_' is modified under 'mutex' here
  }
  void forget() {
    std::lock_guard<std::mutex> l(db_.mutex);
    entries_.clear();
  }
  void trim() {
    // CHECK-WARN@+1: container 'entries_' is modified without holding 'mutex', which guards its other accesses
    entries_.pop_back();
  }

private:
  Database db_;
  std::vector<int> entries_;
};

// Still reported: another object's mutex held at the member's accesses by
// two functions of the member's class (luanti's EmergeThread, whose queue
// the manager's mutex guards), each of which also uses that object.
struct Manager {
  std::mutex queueMutex;
  void release(int pos);
};
class EmergeWorker {
public:
  void run() {
    int pos;
    while (pop(&pos))
      manager_->release(pos);
    cancel();
  }
  void push(int pos) {
    // CHECK-WARN@+1: container 'queue_' is modified without holding 'queueMutex', which guards its other accesses
    queue_.push_back(pos);
  }
  void cancel() {
    std::lock_guard<std::mutex> l(manager_->queueMutex);
    while (!queue_.empty()) {
      manager_->release(queue_.front());
      queue_.pop_front(); // CHECK-NOTE: 'queue_' is modified under 'queueMutex' here
    }
  }

private:
  bool pop(int *pos) {
    std::lock_guard<std::mutex> l(manager_->queueMutex);
    if (queue_.empty())
      return false;
    *pos = queue_.front();
    queue_.pop_front();
    return true;
  }
  Manager *manager_;
  std::deque<int> queue_;
};

// Still reported: a writer that forgot the lock while the readers take it to
// look into the list.
class Names {
public:
  void add(const std::string &n) {
    // CHECK-WARN@+2: container 'names_' is modified without holding 'm_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'm_' for this statement
    names_.push_back(n);
    // CHECK-FIX: std::scoped_lock lock(m_); names_.push_back(n);
  }
  bool has(const std::string &n) {
    std::lock_guard<std::mutex> l(m_);
    for (const std::string &x : names_) // CHECK-NOTE: 'names_' is read under 'm_' here
      if (x == n)
        return true;
    return false;
  }
  std::string first() {
    std::lock_guard<std::mutex> l(m_);
    return names_.empty() ? std::string() : names_.front();
  }

private:
  std::mutex m_;
  std::vector<std::string> names_;
};

// A function that touches the member both outside and inside the region of
// a mutex that guards another member (held at that member's writes
// elsewhere): the region is for the other member, and the function's own
// code shows the member needs no lock. CAF's scoped_coordinator, whose
// timer list only its owner thread uses, erased inside the wait for the
// action queue's condition variable.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
class Coordinator {
public:
  void schedule(std::function<void()> f) {
    std::unique_lock<std::mutex> g(mtx_);
    actions_.push_back(std::move(f));
    cv_.notify_all();
  }
  void delayUntil(std::chrono::steady_clock::time_point t,
                  std::function<void()> f) {
    delayed_.emplace(t, std::move(f));
  }
  std::function<void()> next() {
    if (!delayed_.empty()) {
      auto i = delayed_.begin();
      if (std::chrono::steady_clock::now() >= i->first) {
        auto res = std::move(i->second);
        delayed_.erase(i);
        return res;
      }
      std::unique_lock<std::mutex> g(mtx_);
      while (actions_.empty())
        if (cv_.wait_until(g, i->first) == std::cv_status::timeout) {
          auto res = std::move(i->second);
          delayed_.erase(i);
          return res;
        }
      auto res = std::move(actions_.front());
      actions_.pop_front();
      return res;
    }
    std::unique_lock<std::mutex> g(mtx_);
    while (actions_.empty())
      cv_.wait(g);
    auto res = std::move(actions_.front());
    actions_.pop_front();
    return res;
  }
  // Counted under the lock with the action queue it guards.
  std::size_t pending() {
    std::unique_lock<std::mutex> g(mtx_);
    return actions_.size() + delayed_.size();
  }
  std::function<void()> poll(std::chrono::steady_clock::time_point t) {
    if (!delayed_.empty() && delayed_.begin()->first <= t)
      return next();
    return {};
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> actions_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>>
      delayed_;
};

// Still reported: the mutex guards nothing else (a double-checked fill of
// the list, the check outside the lock racing with another thread's fill).
class Lazy {
public:
  const std::string &front() {
    // CHECK-WARN@+1: container 'items_' is read without holding 'm_', which guards its other accesses
    if (items_.empty()) {
      std::lock_guard<std::mutex> l(m_);
      if (items_.empty())
        // CHECK-NOTE@+2: 'items_' is modified under 'm_' here
        // CHECK-NOTE@+1: 'items_' is modified under 'm_' here
        items_.push_back("x");
    }
    // CHECK-WARN@+1: container 'items_' is read without holding 'm_', which guards its other accesses
    return items_.front();
  }

private:
  std::mutex m_;
  std::vector<std::string> items_;
};

// Still reported: a function that locks for the member alone is evidence,
// and the mixed function's accesses outside the lock are flagged.
class Inbox {
public:
  void put(int v) {
    std::lock_guard<std::mutex> l(m_);
    count_ += 1;
    mail_.push_back(v); // CHECK-NOTE: 'mail_' is modified under 'm_' here
  }
  int take() {
    // CHECK-WARN@+1: container 'mail_' is read without holding 'm_', which guards its other accesses
    if (mail_.empty())
      return -1;
    std::lock_guard<std::mutex> l(m_);
    int v = mail_.front();
    mail_.pop_front();
    count_ -= 1;
    return v;
  }
  void reset() {
    std::lock_guard<std::mutex> l(m_);
    other_.clear();
  }

private:
  std::mutex m_;
  int count_ = 0;
  std::deque<int> mail_;
  std::vector<int> other_;
};
