// Data members of thread type must be joined or detached by the destructor.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <atomic>
#include <cassert>
#include <thread>
#include <utility>
#include <vector>

void work();

// ---------------------------------------------------------------- positives

class ImplicitDtor {
public:
  ImplicitDtor() : worker_(work) {} // CHECK-NOTE: thread 'worker_' started here

private:
  int state_ = 0;
  std::thread worker_;
  // CHECK-FIX@-1: std::jthread worker_;
};
// CHECK-WARN@-9: the implicit destructor of 'ImplicitDtor' does not join or detach thread member 'worker_' (std::terminate is called if it is joinable)

class WrittenDtor {
public:
  void start() { worker_ = std::thread(work); } // CHECK-NOTE: thread 'worker_' started here
  ~WrittenDtor() { stopping_ = true; } // CHECK-WARN: the destructor of 'WrittenDtor' does not join or detach thread member 'worker_' (std::terminate is called if it is joinable)
  // CHECK-NOTE@-1: join or detach 'worker_' in the destructor

private:
  std::thread worker_;
  std::atomic<bool> stopping_{false};
};

// Declared first: a std::jthread member would be joined after the other
// members are destroyed, so no fix-it.
class NotLastMember {
public:
  NotLastMember() : worker_([this] { (void)count_; }) {} // CHECK-NOTE: thread 'worker_' started here

private:
  std::thread worker_;
  int count_ = 0;
};
// CHECK-WARN@-8: the implicit destructor of 'NotLastMember' does not join or detach thread member 'worker_'
// CHECK-NOTE@-9: join or detach 'worker_' in the destructor

class ThreadVector {
public:
  void add() { workers_.emplace_back(work); } // CHECK-NOTE: thread added to 'workers_' here
  ~ThreadVector() {} // CHECK-WARN: the destructor of 'ThreadVector' does not join or detach thread member 'workers_'
  // CHECK-NOTE@-1: join or detach 'workers_' in the destructor

private:
  std::vector<std::thread> workers_;
};

// ---------------------------------------------------------------- negatives

class JoinsInDtor {
public:
  JoinsInDtor() : worker_(work) {}
  ~JoinsInDtor() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::thread worker_;
};

class JoinsViaStop {
public:
  void start() { worker_ = std::thread(work); }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }
  ~JoinsViaStop() { stop(); }

private:
  std::thread worker_;
};

class DetachesInDtor {
public:
  DetachesInDtor() : worker_(work) {}
  ~DetachesInDtor() { worker_.detach(); }

private:
  std::thread worker_;
};

class JoinsAll {
public:
  void add() { workers_.emplace_back(work); }
  ~JoinsAll() {
    for (auto &w : workers_)
      w.join();
  }

private:
  std::vector<std::thread> workers_;
};

class UsesJThread {
public:
  UsesJThread() : worker_(work) {}

private:
  std::jthread worker_;
};

class NeverStarted {
  std::thread worker_;
};

class DtorDefinedElsewhere {
public:
  DtorDefinedElsewhere() : worker_(work) {}
  ~DtorDefinedElsewhere();

private:
  std::thread worker_;
};

class ReferenceMember {
public:
  explicit ReferenceMember(std::thread &t) : t_(t) {}

private:
  std::thread &t_;
};

void lambdaOwnsThread() {
  std::thread t(work);
  auto owner = [t = std::move(t)]() mutable { t.join(); };
  owner();
}

// Started in a constructor template.
class StartsInTemplate {
public:
  template <class F> explicit StartsInTemplate(F f) {
    worker_ = std::thread(f); // CHECK-NOTE: thread 'worker_' started here
  }

private:
  std::thread worker_;
};
// CHECK-WARN@-9: the implicit destructor of 'StartsInTemplate' does not join or detach thread member 'worker_'
// CHECK-NOTE@-10: join or detach 'worker_' in the destructor

// A thread wrapper with its own join(): its users must join it.
class NamedThread {
public:
  template <class F> explicit NamedThread(F f) : thread_(f) {}
  bool joinable() const noexcept { return thread_.joinable(); }
  void join() { thread_.join(); }

private:
  std::thread thread_;
};

// The destructor asserts that someone else joined it.
class JoinedByOwner {
public:
  void start() { worker_ = std::thread(work); }
  void shutdown() {
    if (worker_.joinable())
      worker_.join();
  }
  ~JoinedByOwner() { assert(!worker_.joinable()); }

private:
  std::thread worker_;
};
