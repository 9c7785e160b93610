// A destructor that joins only when a shut-down flag or a state member says
// so: the skip is safe when the condition can only hold after the thread was
// joined (a flag only the joining function sets, before its join on every
// path or after it) or before it was started (a state member compared with
// the value only the constructor gives it, which the starting function
// changes before the start). Shapes of opentelemetry-cpp's batch processors
// and apache/thrift's concurrency::Thread.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

void work();
bool ready();

// ---------------------------------------------------------------- negatives

// The flag is set only by the function that joins, before the join, which
// runs on every path (a joinable() test says there is nothing to join).
class Processor {
public:
  Processor() : worker_(&Processor::run, this) {}
  ~Processor() {
    if (is_shutdown_.load() == false)
      InternalShutdown();
  }
  bool Shutdown() { return InternalShutdown(); }

private:
  bool InternalShutdown() noexcept {
    std::lock_guard<std::mutex> g(m_);
    bool already = is_shutdown_.exchange(true);
    if (worker_.joinable()) {
      cv_.notify_all();
      worker_.join();
    }
    return !already;
  }
  void run() { work(); }
  std::atomic<bool> is_shutdown_{false};
  std::mutex m_;
  std::condition_variable cv_;
  std::thread worker_;
};

// The flag lives in a member object reached through a pointer member.
struct SyncData {
  std::atomic<bool> is_shutdown{false};
  std::mutex m;
};
class SharedSyncProcessor {
public:
  SharedSyncProcessor()
      : sync_(std::make_shared<SyncData>()),
        worker_(&SharedSyncProcessor::run, this) {}
  ~SharedSyncProcessor() {
    if (sync_->is_shutdown.load() == false)
      InternalShutdown();
  }
  bool Shutdown() noexcept { return InternalShutdown(); }

private:
  bool InternalShutdown() noexcept {
    std::lock_guard<std::mutex> g(sync_->m);
    bool already = sync_->is_shutdown.exchange(true);
    if (worker_.joinable())
      worker_.join();
    return !already;
  }
  void run() {
    while (!sync_->is_shutdown.load())
      work();
  }
  std::shared_ptr<SyncData> sync_;
  std::thread worker_;
};

// The flag is set after the join.
class SetAfterJoin {
public:
  void start() { worker_ = std::thread(work); }
  void stop() {
    if (worker_.joinable())
      worker_.join();
    stopped_ = true;
  }
  ~SetAfterJoin() {
    if (!stopped_)
      stop();
  }

private:
  bool stopped_ = false;
  std::thread worker_;
};

// A state member compared with the value only the constructor gives it; the
// starting function moves it on (through a setter) before it starts the
// thread, and nothing sets it back.
class StateThread {
public:
  enum State { uninitialized, starting, started, stopping, stopped };
  explicit StateThread(bool detached) : state_(uninitialized), detached_(detached) {}
  virtual ~StateThread() {
    if (!detached_ && thread_->joinable()) {
      try {
        join();
      } catch (...) {
      }
    }
  }
  void setState(State s) {
    std::lock_guard<std::mutex> g(m_);
    state_ = s;
  }
  virtual void start() {
    if (state_ != uninitialized)
      return;
    setState(starting);
    thread_ = std::unique_ptr<std::thread>(new std::thread(work));
    if (detached_)
      thread_->detach();
  }
  virtual void join() {
    if (!detached_ && state_ != uninitialized)
      thread_->join();
  }

private:
  std::unique_ptr<std::thread> thread_;
  std::mutex m_;
  State state_;
  bool detached_;
};

void runState(StateThread &t) { t.setState(StateThread::stopping); }

// ---------------------------------------------------------------- positives

// Another function sets the flag without joining: the destructor then skips
// the join of a running thread.
class FlagSetElsewhere {
public:
  FlagSetElsewhere() : worker_(work) {}
  void cancel() { is_shutdown_ = true; }
  void shutdown() noexcept {
    is_shutdown_ = true;
    if (worker_.joinable())
      worker_.join();
  }
  ~FlagSetElsewhere() { // CHECK-WARN: the destructor of 'FlagSetElsewhere' joins thread member 'worker_' only on some paths (std::terminate is called if it is joinable on the others)
    if (!is_shutdown_) // CHECK-NOTE: the join is skipped when this condition does not hold, which does not show that 'worker_' was never started
      shutdown();
  }

private:
  std::atomic<bool> is_shutdown_{false};
  std::thread worker_;
};

// The joining function sets the flag and may return before the join.
class FlagThenEarlyReturn {
public:
  FlagThenEarlyReturn() : worker_(work) {}
  void shutdown() {
    is_shutdown_ = true;
    if (!ready())
      return;
    worker_.join();
  }
  ~FlagThenEarlyReturn() { // CHECK-WARN: the destructor of 'FlagThenEarlyReturn' joins thread member 'worker_' only on some paths (std::terminate is called if it is joinable on the others)
    if (!is_shutdown_) // CHECK-NOTE: the join is skipped when this condition does not hold, which does not show that 'worker_' was never started
      shutdown();
  }

private:
  bool is_shutdown_ = false;
  std::thread worker_;
};

// The state member is also set back to its initial value elsewhere: it no
// longer shows the thread was never started.
class ResettableState {
public:
  enum State { uninitialized, starting, started };
  ResettableState() : state_(uninitialized) {}
  ~ResettableState() { join(); } // CHECK-WARN: the destructor of 'ResettableState' joins thread member 'thread_' only on some paths (std::terminate is called if it is joinable on the others)
  void setState(State s) { state_ = s; }
  void start() {
    setState(starting);
    thread_ = std::thread(work);
  }
  void reset() { setState(uninitialized); }
  void join() {
    if (state_ != uninitialized) // CHECK-NOTE: the join is skipped when this condition does not hold, which does not show that 'thread_' was never started
      thread_.join();
  }

private:
  std::thread thread_;
  State state_;
};
