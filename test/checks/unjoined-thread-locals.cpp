// Local std::thread objects: every path from the start to the destruction
// must join, detach or move the thread out.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

void work();
bool ready() noexcept;
void mayThrow();
void quiet() noexcept;
void observe(const std::thread &t) noexcept;
void takeOver(std::thread &t);

// ---------------------------------------------------------------- positives

void fallsOffScope() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  quiet();
} // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when it goes out of scope here

void earlyReturn() {
  std::thread t([] { work(); }); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t([] { work(); });
  if (!ready())
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  t.join();
}

void breakLeavesScope(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    // CHECK-FIX@-1: std::jthread t(work);
    if (i == 3)
      break; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when control leaves its scope here
    t.join();
  }
}

void continueLeavesScope(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    // CHECK-FIX@-1: std::jthread t(work);
    if (i % 2)
      continue; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when control leaves its scope here
    t.join();
  }
}

void gotoLeavesScope(int n) {
  {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    // CHECK-FIX@-1: std::jthread t(work);
    if (n)
      goto out; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when control leaves its scope here
    t.join();
  }
out:
  quiet();
}

void throwingCall() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  t.join();
}

void throwExpression(int n) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  if (n < 0)
    throw std::invalid_argument("n"); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this throws
  t.join();
}

// Detached on one path: jthread is no fix, a note says where to join.
void detachedOnOnePath(bool b) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  if (b) {
    t.detach();
    return;
  }
  if (ready())
    return; // CHECK-WARN: when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// Moved out on one path: no fix-it either.
std::thread movedOnOnePath(bool b) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  if (b)
    return t;
  quiet();
} // CHECK-WARN: when it goes out of scope here
// CHECK-NOTE@-1: join or detach 't' before this point

// A type not spelled std::thread gets no fix-it.
using Worker = std::thread;
void aliasType() {
  Worker w(work); // CHECK-NOTE: thread 'w' started here
} // CHECK-WARN: thread 'w' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 'w' before this point

// Inside a lambda body.
auto inLambda = [] {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  if (ready())
    return; // CHECK-WARN: when the function returns here
  t.join();
};

// Joined in a catch(...) that rethrows, but not on an early return.
void joinsInHandlerOnly() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t(work);
  try {
    mayThrow();
  } catch (...) {
    t.join();
    throw;
  }
  if (!ready())
    return; // CHECK-WARN: when the function returns here
  t.join();
}

// ---------------------------------------------------------------- negatives

void joinedOnAllPaths() {
  std::thread t(work);
  if (!ready()) {
    t.join();
    return;
  }
  quiet();
  t.join();
}

void detached() {
  std::thread t(work);
  t.detach();
}

void temporaryDetached() { std::thread(work).detach(); }

void joinableGuard() {
  std::thread t;
  if (ready())
    t = std::thread(work);
  if (t.joinable())
    t.join();
}

void negatedJoinableGuard() {
  std::thread t(work);
  if (!t.joinable())
    return;
  t.join();
}

void movedIntoOwner(std::vector<std::thread> &owner) {
  std::thread t(work);
  owner.push_back(std::move(t));
}

std::thread returned() {
  std::thread t(work);
  return t;
}

void movedIntoLocal() {
  std::thread t(work);
  std::thread u(std::move(t));
  u.join();
}

void swapped() {
  std::thread t(work);
  std::thread u;
  u.swap(t);
  u.join();
}

void jthreadJoinsItself() {
  std::jthread t(work);
  if (!ready())
    return;
  mayThrow();
}

void neverStarted() {
  std::thread t;
  if (!ready())
    return;
  mayThrow();
}

// An RAII joiner owns the joining.
class ThreadGuard {
public:
  explicit ThreadGuard(std::thread &t) : t_(t) {}
  ~ThreadGuard() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread &t_;
};

void raiiJoiner() {
  std::thread t(work);
  ThreadGuard g(t);
  mayThrow();
}

// Escapes to unknown code: not flagged (the callee may join).
void escapesByReference() {
  std::thread t(work);
  takeOver(t);
}

void escapesByPointer() {
  std::thread t(work);
  std::thread *p = &t;
  p->join();
}

void capturedByReference() {
  std::thread t(work);
  auto joiner = [&t] { t.join(); };
  joiner();
}

void constReferenceIsNoEscape() {
  std::thread t(work);
  observe(t);
  t.join();
}

// Calls that cannot throw between start and join.
void noexceptCalls() {
  std::thread t(work);
  quiet();
  std::printf("started\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  t.join();
}

// A throwing call inside a try whose handler joins.
void tryJoins() {
  std::thread t(work);
  try {
    mayThrow();
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
}

// A throwing call inside a try whose handler swallows the exception.
void trySwallows() {
  std::thread t(work);
  try {
    mayThrow();
  } catch (const std::exception &) {
  }
  t.join();
}

// Threads started and joined in a loop.
void loopJoins(int n) {
  for (int i = 0; i < n; ++i) {
    std::thread t(work);
    t.join();
  }
}

// A noexcept function: an exception terminates anyway.
void noexceptFunction() noexcept {
  std::thread t(work);
  mayThrow();
  t.join();
}

// Moved into a lambda that owns it.
void movedIntoLambda() {
  std::thread t(work);
  auto owner = [t = std::move(t)]() mutable { t.join(); };
  owner();
}

// A handler cannot help a thread declared inside the try block: unwinding
// destroys it before the handler runs.
void declaredInsideTry() {
  try {
    std::thread inner(work); // CHECK-NOTE: thread 'inner' started here
    // CHECK-FIX@-1: std::jthread inner(work);
    mayThrow(); // CHECK-WARN: thread 'inner' is destroyed while joinable (std::terminate is called) if this call throws
    inner.join();
  } catch (...) {
  }
}

// Callees defined in the translation unit: their bodies say whether they throw.
int counter = 0;
int readCounter() { return counter; }
void fail(int code) {
  if (code)
    throw std::runtime_error("failed");
}
void callsBodiesThatCannotThrow() {
  std::thread t(work);
  readCounter();
  t.join();
}
void callsBodyThatThrows() {
  std::thread worker(work); // CHECK-NOTE: thread 'worker' started here
  // CHECK-FIX@-1: std::jthread worker(work);
  fail(counter); // CHECK-WARN: thread 'worker' is destroyed while joinable (std::terminate is called) if this call throws
  worker.join();
}

// Passed where a std::thread is required: std::jthread is no fix.
void passedToObserver() {
  std::thread watched(work); // CHECK-NOTE: thread 'watched' started here
  observe(watched);
} // CHECK-WARN: thread 'watched' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 'watched' before this point
