// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A project's own waits (round 14, quantum): the results a test reads after
// it waited for every task through the library's API.
//  * Thread rule: the handle a task's start returns (here a shared pointer
//    to a result object), waited on through it right away
//    (`post(f)->get()`) or kept and waited later, ends the task. The
//    handle's wait is recognised by what it does (a body that waits on a
//    condition variable) or by the future's API its class has (a member
//    returning std::future_status: a timed wait, as std::future's).
//  * Member rule: after a function hands tasks to an object (a sequencer's
//    enqueue) and then calls a member of that object that blocks (its body
//    waits on a future, transitively), the code after it is ordered after
//    those tasks: a member function whose every call comes after such a
//    wait (or a join) reads the results unlocked without racing the tasks.
// Still reported: a handle not waited on before the read, another task's
// handle waited, a non-blocking member of the handle; a reader also called
// before the wait, from a task, or never called; a wait on another object,
// a non-blocking member of the sequencer, tasks handed after the wait.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// ---------------------------------------------------------------------------
// A dispatcher whose post() runs the callable on a thread and returns the
// task's result object.

class Result {
public:
  using Ptr = std::shared_ptr<Result>;
  void set(int v) {
    std::lock_guard<std::mutex> g(m_);
    value_ = v;
    done_ = true;
    cv_.notify_all();
  }
  int get() { // blocks until set
    std::unique_lock<std::mutex> g(m_);
    cv_.wait(g, [this] { return done_; });
    return value_;
  }
  bool ready() {
    std::lock_guard<std::mutex> g(m_);
    return done_;
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int value_ = 0;
  bool done_ = false;
};

class Dispatcher {
public:
  template <class F> Result::Ptr post(F f) {
    auto r = std::make_shared<Result>();
    std::thread([r, f]() mutable { r->set(f()); }).detach();
    return r;
  }
};

Dispatcher &dispatcher();
void use(std::size_t);

void waitedRightAway() {
  std::vector<int> out;
  dispatcher().post([&out] { out.push_back(1); return 0; })->get();
  use(out.size()); // not reported: the task ended
}

void keptAndWaitedLater() {
  std::vector<int> out;
  auto r = dispatcher().post([&out] { out.push_back(1); return 0; });
  r->get();
  use(out.size()); // not reported
}

void readBeforeTheWait() {
  std::vector<int> out;
  // CHECK-NOTE@+1: conflicting modification on another thread
  auto r = dispatcher().post([&out] { out.push_back(1); return 0; });
  // CHECK-WARN@+1: container 'out' is read without a lock while another thread modifies it
  use(out.size());
  r->get();
}

void anotherTaskWaited() {
  std::vector<int> out;
  // CHECK-NOTE@+1: conflicting modification on another thread
  auto r = dispatcher().post([&out] { out.push_back(1); return 0; });
  dispatcher().post([] { return 0; })->get();
  // CHECK-WARN@+1: container 'out' is read without a lock while another thread modifies it
  use(out.size());
  r->get();
}

void nonBlockingMember() {
  std::vector<int> out;
  // CHECK-NOTE@+1: conflicting modification on another thread
  dispatcher().post([&out] { out.push_back(1); return 0; })->ready();
  // CHECK-WARN@+1: container 'out' is read without a lock while another thread modifies it
  use(out.size());
}

// A result known only by its interface: a future's API (a timed wait
// returning std::future_status) says get() waits.
class IFuture {
public:
  using Ptr = std::shared_ptr<IFuture>;
  virtual ~IFuture() = default;
  virtual int get() = 0;
  virtual std::future_status waitFor(std::chrono::milliseconds ms) = 0;
  virtual bool valid() const = 0;
};

class Pool {
public:
  IFuture::Ptr post(std::function<int()> f);
};
Pool &pool();

void interfaceWaited() {
  std::vector<int> out;
  pool().post([&out] { out.push_back(1); return 0; })->get();
  use(out.size()); // not reported
}

void interfaceTimedWait() {
  std::vector<int> out;
  auto f = pool().post([&out] { out.push_back(1); return 0; });
  f->waitFor(std::chrono::milliseconds(-1));
  use(out.size()); // not reported
}

void interfaceNotWaited() {
  std::vector<int> out;
  // CHECK-NOTE@+1: conflicting modification on another thread
  auto f = pool().post([&out] { out.push_back(1); return 0; });
  f->valid();
  // CHECK-WARN@+1: container 'out' is read without a lock while another thread modifies it
  use(out.size());
}

// ---------------------------------------------------------------------------
// A sequencer: enqueue() hands the callable to the sequencer's threads (not
// seen here), drain() enqueues a task that sets a promise and waits for its
// future.

class Sequencer {
public:
  void enqueue(std::function<void()> f);
  void drain() {
    auto p = std::make_shared<std::promise<int>>();
    std::future<int> done = p->get_future();
    enqueue([p] { p->set_value(0); });
    waitFor(done);
  }
  std::size_t size() const { return size_; }
  void flush() { size_ = 0; }

private:
  static void waitFor(std::future<int> &f) { f.wait(); }
  std::size_t size_ = 0;
};

// A test's helper: its tasks record their results under the lock; the test
// reads them after the wait, without it.
class Results {
public:
  std::function<void()> makeTask(int id) {
    return [this, id] { record(id); };
  }
  std::function<void()> makeSlowTask(int id) {
    return [this, id] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      record(id);
    };
  }
  bool has(int id) { return results_.count(id) != 0; } // not reported

private:
  void record(int id) {
    std::lock_guard<std::mutex> g(mutex_);
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

// Keeps a callable it runs on the caller's thread: handing it one starts no
// task (no wait needed).
class Config {
public:
  void setHash(std::function<int(int)> h) { hash_ = std::move(h); }
  int hash(int k) const { return hash_(k); }

private:
  std::function<int(int)> hash_;
};

void drained() {
  Results r;
  Config c;
  c.setHash([](int k) { return k % 3; });
  Sequencer s;
  for (int i = 0; i < 10; ++i)
    s.enqueue(i % 2 ? r.makeTask(i) : r.makeSlowTask(i));
  s.drain();
  for (int i = 0; i < 10; ++i)
    use(r.has(i));
}

// The tasks of a test, recording into the results of the derived class.
class Recorder {
public:
  virtual ~Recorder() = default;
  std::function<void()> makeTask(int id) {
    return [this, id] { record(id); };
  }
  std::function<void()> makeSlowTask(int id) {
    return [this, id] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      record(id);
    };
  }

protected:
  virtual void record(int id) = 0;
};

// After a join.
class Joined : public Recorder {
public:
  bool has(int id) { return results_.count(id) != 0; } // not reported

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

void joined() {
  Joined r;
  std::thread t(r.makeTask(1));
  std::thread u(r.makeSlowTask(2));
  t.join();
  u.join();
  use(r.has(1));
}

// The reader is also called before the wait: reported.
class ReadEarly : public Recorder {
public:
  // CHECK-WARN@+2: container 'results_' is read without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  bool has(int id) { return results_.count(id) != 0; }
  // CHECK-FIX@-1: bool has(int id) { std::scoped_lock lock(mutex_); return results_.count(id) != 0; }

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'results_' is modified under 'mutex_' here
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

void readEarly() {
  ReadEarly r;
  Sequencer s;
  s.enqueue(r.makeTask(1));
  s.enqueue(r.makeSlowTask(2));
  use(r.has(1));
  s.drain();
  use(r.has(1));
}

// The reader is called from a task too: reported.
class ReadInTask : public Recorder {
public:
  // CHECK-WARN@+2: container 'results_' is read without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  bool has(int id) { return results_.count(id) != 0; }
  // CHECK-FIX@-1: bool has(int id) { std::scoped_lock lock(mutex_); return results_.count(id) != 0; }

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'results_' is modified under 'mutex_' here
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

void readInTask() {
  ReadInTask r;
  Sequencer s;
  s.enqueue(r.makeTask(1));
  s.enqueue(r.makeSlowTask(2));
  s.enqueue([&r] { use(r.has(1)); });
  s.drain();
  use(r.has(1));
}

// The reader is never called here: reported (its callers are not known).
class NeverCalled : public Recorder {
public:
  // CHECK-WARN@+2: container 'results_' is read without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  bool has(int id) { return results_.count(id) != 0; }
  // CHECK-FIX@-1: bool has(int id) { std::scoped_lock lock(mutex_); return results_.count(id) != 0; }

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'results_' is modified under 'mutex_' here
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

// The wait is on another sequencer than the one the tasks were handed to:
// reported.
class OtherWaited : public Recorder {
public:
  // CHECK-WARN@+2: container 'results_' is read without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  bool has(int id) { return results_.count(id) != 0; }
  // CHECK-FIX@-1: bool has(int id) { std::scoped_lock lock(mutex_); return results_.count(id) != 0; }

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'results_' is modified under 'mutex_' here
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

void otherWaited() {
  OtherWaited r;
  Sequencer s, t;
  s.enqueue(r.makeTask(1));
  t.enqueue(r.makeSlowTask(2));
  t.drain();
  use(r.has(1));
}

// A non-blocking member of the sequencer orders nothing: reported.
class NotBlocking : public Recorder {
public:
  // CHECK-WARN@+2: container 'results_' is read without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  bool has(int id) { return results_.count(id) != 0; }
  // CHECK-FIX@-1: bool has(int id) { std::scoped_lock lock(mutex_); return results_.count(id) != 0; }

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'results_' is modified under 'mutex_' here
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

void notBlocking() {
  NotBlocking r;
  Sequencer s;
  s.enqueue(r.makeTask(1));
  s.enqueue(r.makeSlowTask(2));
  s.flush();
  use(s.size());
  use(r.has(1));
}

// Tasks handed after the wait: reported.
class HandedAfter : public Recorder {
public:
  // CHECK-WARN@+2: container 'results_' is read without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  bool has(int id) { return results_.count(id) != 0; }
  // CHECK-FIX@-1: bool has(int id) { std::scoped_lock lock(mutex_); return results_.count(id) != 0; }

private:
  void record(int id) override {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'results_' is modified under 'mutex_' here
    results_[id] = id;
  }
  std::map<int, int> results_;
  std::mutex mutex_;
};

void handedAfter() {
  HandedAfter r;
  Sequencer s;
  s.enqueue(r.makeTask(1));
  s.drain();
  s.enqueue(r.makeSlowTask(2));
  use(r.has(1));
}
