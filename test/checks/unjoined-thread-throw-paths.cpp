// ReportThrowPaths (default user-exceptions): a failed test assertion
// returning from the test, and exceptions no handler up the call chain of
// main can catch (the program terminates either way), are not reported;
// unjoined-thread-throw-paths-all.cpp has them with `all`.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17 -I %S/Inputs/gtest-like
#include "gtest_like.h"
#include <stdexcept>
#include <thread>

void work();
bool check() noexcept;
void mayThrow();

// ---------------------------------------------------------------- negatives

void assertionReturns() {
  std::thread t(work);
  ASSERT_TRUE(check());
  t.join();
}

static void onlyFromMain() {
  std::thread t(work);
  mayThrow();
  t.join();
}

int main() {
  std::thread t(work);
  mayThrow();
  onlyFromMain();
  t.join();
  try {
    std::thread u(work); // CHECK-NOTE: thread 'u' started here
    mayThrow(); // CHECK-WARN: thread 'u' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 'u' before this point
    u.join();
  } catch (const std::exception &) {
  }
}

// A precondition check: it throws std::logic_error (or a class derived from
// it) only when the caller's logic is wrong, as an assertion would. (A throw
// statement of the function itself is reported: unjoined-thread-locals.cpp.)
inline void requireThat(bool Ok, const char *What) {
  if (Ok)
    return;
  throw std::logic_error(What);
}
struct BadCount : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};
inline void requirePositive(int N) {
  if (N <= 0)
    throw BadCount("N");
}

void preconditionHelper(int N) {
  std::thread t(work);
  requireThat(N > 0, "N must be positive");
  requirePositive(N);
  t.join();
}

// A precondition check reached through a chain of helpers deeper than any
// fixed limit: what throws at the bottom decides (a future's wait() that
// checks its state through its members).
struct State {
  bool Valid = true;
  void checkValid() const { requireThat(Valid, "no state"); }
};
struct Handle {
  State *S;
  void ensure() const { S->checkValid(); }
  void prepare() const { ensure(); }
  void arm() const { prepare(); }
  void wait() const { arm(); }
};

void deepPrecondition(Handle H) {
  std::thread t(work);
  H.wait();
  t.join();
}

// A deep chain that throws nothing at all.
inline int leaf(int N) noexcept { return N + 1; }
inline int level3(int N) { return leaf(N) * 2; }
inline int level2(int N) { return level3(N) + 1; }
inline int level1(int N) { return level2(N) - 1; }
inline int level0(int N) { return level1(N); }

void deepNothing(int N) {
  std::thread t(work);
  level0(N);
  t.join();
}

// Recursion that checks a precondition on the way down.
inline int countDown(int N) {
  requireThat(N >= 0, "N must not be negative");
  return N == 0 ? 0 : countDown(N - 1);
}

void recursivePrecondition(int N) {
  std::thread t(work);
  countDown(N);
  t.join();
}

// ---------------------------------------------------------------- positives

// A runtime failure is a user exception, whatever helper throws it.
inline void requireFile(bool Ok) {
  if (!Ok)
    throw std::runtime_error("no file");
}

void runtimeHelper(bool Ok) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  requireFile(Ok); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

void plainReturn() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  if (!check())
    return; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// Callable from other translation units, which may catch.
void externalHelper() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

// A runtime failure at the bottom of a deep chain is a user exception.
struct Source {
  bool Open = true;
  void checkOpen() const { requireFile(Open); }
};
struct Reader {
  Source *S;
  void ensure() const { S->checkOpen(); }
  void prepare() const { ensure(); }
  void arm() const { prepare(); }
  void read() const { arm(); }
};

void deepRuntimeFailure(Reader R) {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  R.read(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}
