// Thread members whose destructor joins on some paths only, owned through a
// pointer (delete, unique_ptr reset), detached in the constructor, or joined
// by the class that owns them (pimpl).
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

void work();
bool busy();
struct Session {
  void close();
};

// ---------------------------------------------------------------- positives

// The worker sets the flag when it finishes; a finished thread is still
// joinable, so the destructor skips the join exactly when it is needed.
class FlagSetByWorker {
public:
  FlagSetByWorker()
      : worker_([this] {
          work();
          done_ = true;
        }) {}
  ~FlagSetByWorker() { // CHECK-WARN: the destructor of 'FlagSetByWorker' joins thread member 'worker_' only on some paths (std::terminate is called if it is joinable on the others)
    if (!done_) // CHECK-NOTE: the join is skipped when this condition does not hold, which does not show that 'worker_' was never started
      worker_.join();
  }

private:
  std::atomic<bool> done_{false};
  std::thread worker_;
};

// stop() joins only while the session is alive.
class StopBehindLock {
public:
  explicit StopBehindLock(std::weak_ptr<Session> s) : session_(std::move(s)) {}
  void start() { worker_ = std::thread(work); }
  void stop() {
    if (auto s = session_.lock()) { // CHECK-NOTE: the join is skipped when this condition does not hold, which does not show that 'worker_' was never started
      s->close();
      worker_.join();
    }
  }
  ~StopBehindLock() { stop(); } // CHECK-WARN: the destructor of 'StopBehindLock' joins thread member 'worker_' only on some paths

private:
  std::weak_ptr<Session> session_;
  std::thread worker_;
};

class DeletesPointer {
public:
  void start() { worker_ = new std::thread(work); } // CHECK-NOTE: thread owned by 'worker_' started here
  ~DeletesPointer() { delete worker_; } // CHECK-WARN: thread owned by 'worker_' is destroyed while joinable (std::terminate is called) when it is deleted here
  // CHECK-NOTE@-1: join or detach the thread owned by 'worker_' before this point

private:
  std::thread *worker_ = nullptr;
};

class ResetsUnique {
public:
  ResetsUnique() : worker_(std::make_unique<std::thread>(work)) {} // CHECK-NOTE: thread owned by 'worker_' started here
  void restart() {
    worker_.reset(new std::thread(work)); // CHECK-WARN: thread owned by 'worker_' is destroyed while joinable (std::terminate is called) when it is reset here
    // CHECK-NOTE@-1: join or detach the thread owned by 'worker_' before this point
  }
  ~ResetsUnique() {
    if (worker_ && worker_->joinable())
      worker_->join();
  }

private:
  std::unique_ptr<std::thread> worker_;
};

class UniqueImplicitDtor {
public:
  void start() { worker_ = std::make_unique<std::thread>(work); } // CHECK-NOTE: thread 'worker_' started here

private:
  std::unique_ptr<std::thread> worker_;
};
// CHECK-WARN@-7: the implicit destructor of 'UniqueImplicitDtor' does not join or detach thread member 'worker_'
// CHECK-NOTE@-8: join or detach 'worker_' in the destructor

// ---------------------------------------------------------------- negatives

// A flag set where the thread starts says whether there is one to join.
class StartedFlag {
public:
  void start() {
    running_ = true;
    worker_ = std::thread(work);
  }
  ~StartedFlag() {
    if (running_)
      worker_.join();
  }

private:
  bool running_ = false;
  std::thread worker_;
};

// A smart pointer made where the thread starts says the same (CAF's
// prometheus_scraping: `start()` sets `mpx_supervisor_` before it launches
// the thread, the destructor joins `if (mpx_supervisor_)`).
struct Supervisor {};
class StartedSupervisor {
public:
  void start() {
    supervisor_ = std::make_unique<Supervisor>();
    worker_ = std::thread(work);
  }
  ~StartedSupervisor() {
    if (supervisor_) {
      supervisor_.reset();
      worker_.join();
    }
  }

private:
  std::unique_ptr<Supervisor> supervisor_;
  std::thread worker_;
};

// A run-once stop: when the flag is already set, an earlier stop() joined.
class StopOnce {
public:
  StopOnce() { workers_.emplace_back(work); }
  void stop() {
    if (!stopped_.exchange(true))
      for (auto &t : workers_)
        if (t.joinable())
          t.join();
  }
  ~StopOnce() { stop(); }

private:
  std::atomic<bool> stopped_{false};
  std::vector<std::thread> workers_;
};

class JoinableTest {
public:
  JoinableTest() : worker_(work) {}
  ~JoinableTest() {
    if (busy() && worker_.joinable())
      worker_.join();
    else if (worker_.joinable())
      worker_.detach();
  }

private:
  std::thread worker_;
};

class JoinsThenDeletes {
public:
  void start() { worker_ = new std::thread(work); }
  ~JoinsThenDeletes() {
    if (worker_) {
      worker_->join();
      delete worker_;
    }
  }

private:
  std::thread *worker_ = nullptr;
};

class JoinsBeforeReset {
public:
  JoinsBeforeReset() : worker_(std::make_unique<std::thread>(work)) {}
  void restart() {
    worker_->join();
    worker_.reset(new std::thread(work));
  }
  ~JoinsBeforeReset() { worker_->join(); }

private:
  std::unique_ptr<std::thread> worker_;
};

// Detached where it starts: never joinable afterwards.
class DetachedInConstructor {
public:
  DetachedInConstructor() : worker_([] { work(); }) { worker_.detach(); }

private:
  std::thread worker_;
};

class DetachedAfterStart {
public:
  void start() {
    worker_ = std::thread(work);
    worker_.detach();
  }

private:
  std::thread worker_;
};

// pimpl: the wrapper joins the Impl's thread before it deletes the Impl.
class Wrapper {
public:
  Wrapper();
  ~Wrapper();

private:
  struct Impl;
  Impl *impl_;
};

struct Wrapper::Impl {
  Impl() : worker(work) {}
  std::thread worker;
};

Wrapper::Wrapper() : impl_(new Impl) {}
Wrapper::~Wrapper() {
  impl_->worker.join();
  delete impl_;
}

class UniqueWrapper {
public:
  UniqueWrapper();
  ~UniqueWrapper();

private:
  struct Impl {
    Impl() : worker(work) {}
    std::thread worker;
  };
  std::unique_ptr<Impl> impl_;
};

UniqueWrapper::UniqueWrapper() : impl_(std::make_unique<Impl>()) {}
UniqueWrapper::~UniqueWrapper() {
  if (impl_->worker.joinable())
    impl_->worker.join();
}
