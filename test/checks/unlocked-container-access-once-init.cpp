// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A container filled once, under the lock, by a one-shot block (`if
// (starting_) { ...fill...; starting_ = false; }`, the flag never set back)
// is read-only after it: the member rule does not report its unlocked reads
// in the functions that do not fill it (objects that exist only after the
// start read it: libzmq's context and its I/O threads). Reported still: a
// read in the filling function itself, a table also written elsewhere, a
// flag set back, and a thread started before the fill
// (unlocked-container-access-once-init-report.cpp: the option
// ReportReadsAfterOnceInit reports them all). The flag test may go through
// `__builtin_expect` (an `unlikely` macro), and the fill and the clearing of
// the flag may be in a member function the block calls (libzmq's `if
// (unlikely (_starting)) { if (!start ()) return NULL; }`).
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#define unlikely(x) __builtin_expect((x), 0)

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

// 8. libzmq's real shape: the test through `unlikely`, the fill and the
// clearing in the private start() the block calls, which fails without
// clearing. Elements set under the lock elsewhere (`slots_[slot] = ...`).
// Nothing.
struct Mailbox {
  void send(int) {}
};
struct IoThread {
  Mailbox *mailbox() { return &m_; }
  int load() const { return 0; }
  Mailbox m_;
};

class Context {
public:
  ~Context() {
    for (IoThread *t : ioThreads_)
      delete t;
  }
  IoThread *createSocket() {
    std::lock_guard<std::mutex> l(slotSync_);
    if (unlikely(starting_)) {
      if (!start())
        return nullptr;
    }
    int slot = empty_.back();
    empty_.pop_back();
    slots_[slot] = nullptr;
    return ioThreads_[0];
  }
  // Creates a socket too: the fill is in its callee's one-shot block.
  void terminate() { createSocket(); }
  void destroySocket(int tid) {
    std::lock_guard<std::mutex> l(slotSync_);
    empty_.push_back(tid);
    slots_[tid] = nullptr;
  }
  void sendCommand(int tid, int cmd) { slots_[tid]->send(cmd); }
  IoThread *chooseIoThread() {
    if (ioThreads_.empty())
      return nullptr;
    IoThread *best = nullptr;
    for (std::size_t i = 0, n = ioThreads_.size(); i != n; i++)
      if (!best || ioThreads_[i]->load() < best->load())
        best = ioThreads_[i];
    return best;
  }

private:
  bool start() {
    try {
      slots_.reserve(8);
    } catch (const std::bad_alloc &) {
      return false;
    }
    slots_.resize(2);
    for (int i = 2; i != 4; i++) {
      IoThread *t = new (std::nothrow) IoThread;
      if (!t)
        goto fail;
      ioThreads_.push_back(t);
      slots_[i] = t->mailbox();
    }
    starting_ = false;
    return true;
  fail:
    slots_.clear();
    return false;
  }
  std::mutex slotSync_;
  bool starting_ = true;
  std::vector<int> empty_;
  std::vector<IoThread *> ioThreads_;
  std::vector<Mailbox *> slots_;
};

// 9. The clearing two calls deep, the test as `!!` and a cast: nothing.
class Deep {
public:
  void open() {
    std::lock_guard<std::mutex> l(m_);
    if (!!static_cast<bool>(starting_))
      start();
  }
  int first() { return table_[0]; }

private:
  void start() {
    table_.push_back(1);
    finish();
  }
  void finish() { starting_ = false; }
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 10. The callee fills but does not clear the flag: the block runs again.
// Reported.
class NoClear {
public:
  void open() {
    std::lock_guard<std::mutex> l(m_);
    if (unlikely(starting_))
      start();
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  void start() {
    // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
    table_.push_back(1);
  }
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 11. The callee clears the flag only on a branch: reported.
class MaybeClear {
public:
  void open(bool ok) {
    std::lock_guard<std::mutex> l(m_);
    if (unlikely(starting_))
      start(ok);
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  void start(bool ok) {
    // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
    table_.push_back(1);
    if (ok)
      starting_ = false;
  }
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 12. The table the lazy callee fills is also changed later under the lock
// outside the block: reported.
class Refill {
public:
  void open() {
    std::lock_guard<std::mutex> l(m_);
    if (unlikely(starting_))
      start();
  }
  void add() {
    std::lock_guard<std::mutex> l(m_);
    // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
    table_.push_back(2);
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  void start() {
    table_.push_back(1);
    starting_ = false;
  }
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 13. The flag set back to true by a callee of another member function:
// reported.
class Rearm {
public:
  void open() {
    std::lock_guard<std::mutex> l(m_);
    if (unlikely(starting_))
      start();
  }
  void reset() {
    std::lock_guard<std::mutex> l(m_);
    rearm();
  }
  // CHECK-WARN@+2: container 'table_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() { return table_[0]; }
  // CHECK-FIX: int first() { std::scoped_lock lock(m_); return table_[0]; }

private:
  void start() {
    // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
    table_.push_back(1);
    starting_ = false;
  }
  void rearm() { starting_ = true; }
  std::mutex m_;
  bool starting_ = true;
  std::vector<int> table_;
};

// 14. The flag set back in a lambda: reported.
class RearmLater {
public:
  void open() {
    std::lock_guard<std::mutex> l(m_);
    if (starting_) {
      // CHECK-NOTE@+1: 'table_' is modified under 'm_' here
      table_.push_back(1);
      starting_ = false;
    }
  }
  void reset() {
    auto rearm = [this] { starting_ = true; };
    std::lock_guard<std::mutex> l(m_);
    rearm();
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

// 15. A state member that leaves its first value for good: the start returns
// early unless the state is still `init`, fills the table (through a helper
// the constructor uses too), and moves the state on, on either outcome; the
// stop moves it on as well, never back (yalantinglibs' coro_rpc_server:
// `if (flag_ != stat::init) return ...; ... flag_ = stat::started;`).
// The class a template, as there (its own enumeration named by dependent
// names). Nothing.
template <typename Config> class Server {
  enum class State { init, started, stopped };

public:
  explicit Server(int port) { add(port); }
  int start(bool dual) {
    {
      std::unique_lock<std::mutex> l(start_);
      if (state_ != State::init) {
        log();
        return -1;
      }
      for (int i = 0; i != static_cast<int>(acceptors_.size()); ++i)
        listen(acceptors_[i]);
      if (dual)
        add(acceptors_.front() + 1);
      if (ok_)
        state_ = State::started;
      else
        state_ = State::stopped;
    }
    return accept();
  }
  void stop() {
    std::unique_lock<std::mutex> l(start_);
    if (state_ == State::stopped)
      return;
    for (int a : acceptors_)
      close(a);
    state_ = State::stopped;
  }
  int port() const { return acceptors_[0]; }

private:
  void add(int port) { acceptors_.push_back(port); }
  int accept() {
    int n = 0;
    for (int a : acceptors_)
      n += a;
    return n;
  }
  static void log();
  static void listen(int);
  static void close(int);
  std::mutex start_;
  State state_ = State::init;
  bool ok_ = true;
  std::vector<int> acceptors_;
};

// Its start instantiated, the rest not: the instantiation's flag and the
// template's are one.
int serve() {
  Server<int> s(80);
  return s.start(false);
}

// 16. The same with the state set back to `init` by a reset: the start may
// fill again. Reported.
class Reopen {
  enum class State { init, started, stopped };

public:
  void start() {
    std::unique_lock<std::mutex> l(start_);
    if (state_ != State::init)
      return;
    // CHECK-NOTE@+1: 'acceptors_' is modified under 'start_' here
    acceptors_.push_back(1);
    state_ = State::started;
  }
  void reset() {
    std::unique_lock<std::mutex> l(start_);
    state_ = State::init;
  }
  // CHECK-WARN@+2: container 'acceptors_' is read without holding 'start_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'start_' for this statement
  int port() const { return acceptors_[0]; }
  // CHECK-FIX: int port() const { std::scoped_lock lock(start_); return acceptors_[0]; }

private:
  mutable std::mutex start_;
  State state_ = State::init;
  std::vector<int> acceptors_;
};

// 17. The state moved on only when the start succeeds: a failed start fills
// again. Reported.
class Retry {
  enum class State { init, started };

public:
  void start(bool ok) {
    std::unique_lock<std::mutex> l(start_);
    if (state_ != State::init)
      return;
    // CHECK-NOTE@+1: 'acceptors_' is modified under 'start_' here
    acceptors_.push_back(1);
    if (ok)
      state_ = State::started;
  }
  // CHECK-WARN@+2: container 'acceptors_' is read without holding 'start_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'start_' for this statement
  int port() const { return acceptors_[0]; }
  // CHECK-FIX: int port() const { std::scoped_lock lock(start_); return acceptors_[0]; }

private:
  mutable std::mutex start_;
  State state_ = State::init;
  std::vector<int> acceptors_;
};

// 18. A class template whose reset, instantiated, sets the state back:
// reported.
template <typename T> class Rewind {
  enum class State { init, started };

public:
  void start() {
    std::unique_lock<std::mutex> l(start_);
    if (state_ != State::init)
      return;
    // CHECK-NOTE@+1: 'acceptors_' is modified under 'start_' here
    acceptors_.push_back(T());
    state_ = State::started;
  }
  void reset() {
    std::unique_lock<std::mutex> l(start_);
    state_ = State::init;
  }
  // CHECK-WARN@+2: container 'acceptors_' is read without holding 'start_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'start_' for this statement
  T port() const { return acceptors_[0]; }
  // CHECK-FIX: T port() const { std::scoped_lock lock(start_); return acceptors_[0]; }

private:
  mutable std::mutex start_;
  State state_ = State::init;
  std::vector<T> acceptors_;
};
void rewind(Rewind<int> &r) { r.reset(); }
