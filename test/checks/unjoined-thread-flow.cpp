// The flow layer under pitfall-unjoined-thread: helpers summarised across
// calls, exceptional edges (catch blocks are real paths), correlated branches
// and templates.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <stdexcept>
#include <thread>

void work();
void mayThrow();
bool ready() noexcept;
int count() noexcept;

// ------------------------------------------------ helpers (summaries)

void joinIt(std::thread &t) { t.join(); }
void joinIfAsked(std::thread &t, bool ask) {
  if (ask)
    t.join();
}
void joinTwoLevels(std::thread &t) { joinIt(t); }
void detachIt(std::thread &t) { t.detach(); }
void justLook(std::thread &t) { (void)t.get_id(); }

void joinedByHelper() {
  std::thread t(work);
  joinIt(t);
}

void joinedTwoLevelsDown() {
  std::thread t(work);
  joinTwoLevels(t);
}

void detachedByHelper() {
  std::thread t(work);
  detachIt(t);
}

void helperJoinsOnSomePaths(bool b) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  joinIfAsked(t, b);
} // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when it goes out of scope here
// CHECK-NOTE@-1: join or detach 't' before this point

void helperOnlyLooks() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  justLook(t);
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

// The join is in a helper called on the normal path only; a throwing call
// comes first.
void throwBeforeJoiningHelper() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  joinIt(t);
}

// ------------------------------------------------ exceptional edges

void handlerReturnsWithoutJoining() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  try {
    mayThrow();
  } catch (const std::exception &) {
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
    // CHECK-NOTE@-1: join or detach 't' before this point
  }
  t.join();
}

void handlerRethrowsWithoutJoining() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  try {
    mayThrow();
  } catch (...) {
    throw; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this throws
    // CHECK-NOTE@-1: join or detach 't' before this point
  }
  t.join();
}

void handlerJoinsAndRethrows() {
  std::thread t(work);
  try {
    mayThrow();
  } catch (...) {
    t.join();
    throw;
  }
  t.join();
}

void handlerJoinsAndReturns() {
  std::thread t(work);
  try {
    mayThrow();
  } catch (...) {
    t.join();
    return;
  }
  t.join();
}

// A handler for one exception type: others go on, past the join.
struct Timeout {};
void handlerForOneTypeOnly() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  try {
    mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
  } catch (const Timeout &) {
  }
  t.join();
}

// The thread lives inside the try block: unwinding destroys it before any
// handler runs, whatever the handler does.
void threadInsideTry() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (...) {
  }
}

// Nested try: the inner handler swallows, the join below runs.
void innerHandlerSwallows() {
  std::thread t(work);
  try {
    try {
      mayThrow();
    } catch (...) {
    }
  } catch (...) {
    return;
  }
  t.join();
}

// ------------------------------------------------ correlated branches

void startedAndJoinedUnderSameCondition(int n) {
  std::thread t;
  if (n > 0)
    t = std::thread(work);
  ready();
  if (n > 0)
    t.join();
}

void startedAndJoinedUnderNegatedCondition(bool quick) {
  std::thread t;
  if (!quick)
    t = std::thread(work);
  if (!quick)
    t.join();
}

void conditionChangesInBetween(int n) {
  std::thread t;
  if (n > 0)
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
  n = count();
  if (n > 0)
    t.join();
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

void differentConditions(int n, int m) {
  std::thread t;
  if (n > 0)
    t = std::thread(work); // CHECK-NOTE: thread 't' started here
  if (m > 0)
    t.join();
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

void conditionInLoopRedeclared(int n) {
  for (int i = 0; i < n; ++i) {
    bool go = ready();
    std::thread t;
    if (go)
      t = std::thread(work);
    if (go)
      t.join();
  }
}

// ------------------------------------------------ templates

// Instantiated twice, reported once, at the pattern.
template <typename F> void runAndForget(F f) {
  std::thread t(f); // CHECK-NOTE: thread 't' started here
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

void useTemplates() {
  runAndForget(work);
  runAndForget([] {});
}

template <typename F> void runAndJoin(F f) {
  std::thread t(f);
  t.join();
}

void useJoiningTemplate() { runAndJoin(work); }

// Never instantiated: analysed as written.
template <typename T> void neverInstantiated(T value) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  (void)value;
} // CHECK-WARN: thread 't' is destroyed while joinable
// CHECK-NOTE@-1: join or detach 't' before this point

// A member of a class template, instantiated.
template <typename T> struct Runner {
  void run() {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
  } // CHECK-WARN: thread 't' is destroyed while joinable
  // CHECK-NOTE@-1: join or detach 't' before this point
};

void useRunner() {
  Runner<int>().run();
  Runner<long>().run();
}

// ------------------------------------------------ members through helpers

class Service {
public:
  Service() : worker_(work) {}
  ~Service() { shutdown(); }

private:
  void shutdown() { joinAll(); }
  void joinAll() {
    if (worker_.joinable())
      worker_.join();
  }
  std::thread worker_;
};
