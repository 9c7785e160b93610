// A virtual call throws what the implementations the translation unit
// defines throw: the base's own body (unless it is pure) and every override
// visible in the translation unit. A pure virtual function with no visible
// override, or an override declared without a body, may throw anything.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <functional>
#include <stdexcept>
#include <thread>

void work();

inline void requireThat(bool Ok, const char *What) {
  if (!Ok)
    throw std::logic_error(What);
}

// ---------------------------------------------------------------- negatives

// An executor interface: the base answers "no", the one override visible
// answers from a flag. A future's wait() asks it inside a precondition check.
class Executor {
public:
  virtual ~Executor() = default;
  virtual bool inExecutor() const { return false; }
};
class InlineExecutor : public Executor {
public:
  bool inExecutor() const override { return Inside; }
  bool Inside = false;
};

struct SharedState {
  Executor *Ex = nullptr;
  bool Ready = false;
  bool inExecutor() const { return Ex && Ex->inExecutor(); }
};

struct Future {
  SharedState *State;
  void wait() const {
    requireThat(State != nullptr, "future is broken");
    requireThat(!State->inExecutor(), "wait in the executor deadlocks");
  }
};

void waitBetweenStartAndJoin(Future F) {
  std::thread t(work);
  F.wait();
  t.join();
}

// ---------------------------------------------------------------- positives

// An override that throws a runtime failure.
class Transport {
public:
  virtual ~Transport() = default;
  virtual void send(int) {}
};
class Socket : public Transport {
public:
  void send(int N) override {
    if (N < 0)
      throw std::runtime_error("connection reset");
  }
};

void sendBetweenStartAndJoin(Transport &T) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  T.send(1); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// A pure virtual function with no implementation in sight.
class Sink {
public:
  virtual ~Sink() = default;
  virtual void put(int) = 0;
};

void putBetweenStartAndJoin(Sink &S) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  S.put(1); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// An override declared here and defined in another translation unit.
class Store {
public:
  virtual ~Store() = default;
  virtual void save(int) {}
};
class FileStore : public Store {
public:
  void save(int) override;
};

void saveBetweenStartAndJoin(Store &S) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  S.save(1); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}
