// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A container filled once, under the lock, by a one-shot block (`if
// (starting_) { ...fill...; starting_ = false; }`, the flag never set back)
// is read-only after it: the member rule does not report its unlocked reads
// in the functions that do not fill it (objects that exist only after the
// start read it: libzmq's context and its I/O threads). Reported still: a
// read in the filling function itself, a table also written elsewhere, a
// flag set back, and a thread started before the fill
// (unlocked-container-access-once-init-report.cpp: the option
// ReportReadsAfterOnceInit reports them all).
#include <mutex>
#include <thread>
#include <vector>

struct Worker {
  int load() const { return 0; }
};

// 1. libzmq's lazy start: nothing.
class Ctx {
public:
  int createSocket() {
    std::lock_guard<std::mutex> l(sync_);
    if (starting_) {
      for (int i = 0; i != 2; i++)
        workers_.push_back(new Worker);
      starting_ = false;
    }
    return ++sockets_;
  }
  Worker *choose() { // called by the sockets
    if (workers_.empty())
      return nullptr;
    Worker *best = workers_[0];
    for (Worker *w : workers_)
      if (w->load() < best->load())
        best = w;
    return best;
  }

private:
  std::mutex sync_;
  bool starting_ = true;
  int sockets_ = 0;
  std::vector<Worker *> workers_;
};

// 2. The flag the other way round, cleared in the constructor, the fill in
// a helper the block calls: nothing.
class Pool {
public:
  Pool() { started_ = false; }
  void ensure() {
    std::unique_lock<std::mutex> l(m_);
    if (!started_) {
      fill();
      started_ = true;
    }
  }
  int size() const { return static_cast<int>(threads_.size()); }

private:
  void fill() { threads_.push_back(1); }
  std::mutex m_;
  bool started_;
  std::vector<int> threads_;
};

// 3. The table written again elsewhere (a clear under the lock): reported.
class Reset {
public:
  void start() {
    std::lock_guard<std::mutex> l(m_);
    if (starting_) {
      // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
      table_.push_back(1);
      starting_ = false;
    }
  }
  void stop() {
    std::lock_guard<std::mutex> l(m_);
    table_.clear();
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 4. The flag set back: the block runs again, reported.
class Restart {
public:
  void start() {
    std::lock_guard<std::mutex> l(m_);
    if (starting_) {
      // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
      table_.push_back(1);
      starting_ = false;
    }
  }
  void again() {
    std::lock_guard<std::mutex> l(m_);
    starting_ = true;
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 5. A read in the filling function, before the block: another thread may
// be filling. Reported.
class Early {
public:
  int start() {
    int n = table_[0]; // CHECK-WARN: container 'table_' is read without holding 'm_', which guards its other accesses
    std::lock_guard<std::mutex> l(m_);
    if (starting_) {
      // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
      table_.push_back(1);
      starting_ = false;
    }
    return n;
  }
  int get() {
    std::lock_guard<std::mutex> l(m_);
    return table_[0];
  }
  // Not the filling function: not reported.
  int last() { return table_[1]; }

private:
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 6. The flag tested and cleared outside the lock: two threads may both
// fill. Reported.
class Unlocked {
public:
  void start() {
    if (starting_) {
      starting_ = false;
      std::lock_guard<std::mutex> l(m_);
      // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
      table_.push_back(1);
    }
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 7. A thread started before the fill reads the table while it is filled:
// the thread rule reports it. Started after the fill: nothing.
class Lazy {
public:
  void create() {
    std::lock_guard<std::mutex> l(m_);
    if (starting_) {
      // CHECK-NOTE@+1: conflicting modification on another thread under 'm_'
      table_.push_back(1);
      starting_ = false;
    }
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_' while another thread modifies it
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

void readBeforeFill() {
  Lazy c;
  std::thread t([&] { c.first(); });
  c.create();
  t.join();
}

void readAfterFill() {
  Lazy c;
  c.create();
  std::thread t([&] { c.first(); });
  t.join();
}
