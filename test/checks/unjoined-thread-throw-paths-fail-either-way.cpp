// ReportThrowPaths (default user-exceptions): a throw path whose every
// handler up the call chain ends the program with a failure counts like no
// handler at all. A handler of main that returns a non-zero constant on
// every path, or a handler that calls exit/abort/quick_exit/_Exit/
// std::terminate, is no rescue: the program fails either way (terminate
// instead of exit status 1). The chain is followed through the callables
// a callee runs on the calling thread: a test program whose body is a
// lambda run by a helper inside main's try. Reported by default: a handler
// that recovers (goes on, retries, returns 0), a handler of a function
// other than main that returns. unjoined-thread-throw-paths-fail-either-way-all.cpp
// has them with `all`.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <cstdlib>
#include <exception>
#include <iostream>
#include <thread>

void work();
void mayThrow();
bool next() noexcept;

// Runs the body on the calling thread (sobjectizer's run_with_time_limit).
template <typename F> void runWithTimeLimit(F action, unsigned seconds) {
  (void)seconds;
  action();
}

// Runs the body on the calling thread, retrying once if it throws.
template <typename F> void retryOnce(F action) {
  try {
    action();
  } catch (...) {
    action();
  }
}

// ---------------------------------------------------------------- negatives

static void helperCalledInMainTry() {
  std::thread t(work);
  mayThrow();
  t.join();
}

static void helperCalledUnderAbort() {
  std::thread t(work);
  mayThrow();
  t.join();
}

static void helperInsideTryEndingInExit() {
  try {
    std::thread t(work);
    mayThrow();
    t.join();
  } catch (const std::exception &e) {
    std::cerr << e.what() << '\n';
    std::exit(2);
  }
}

// ---------------------------------------------------------------- positives

static void helperUnderRecoveringHandler() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

static void helperUnderZeroReturn() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

static void helperUnderConditionalReturn() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
}

static int helperReturningOne() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  // CHECK-NOTE@-1: join or detach 't' before this point
  t.join();
  return 0;
}

// A function other than main whose handler returns 1 to its caller.
static int notMain() {
  try {
    return helperReturningOne();
  } catch (...) {
    return 1;
  }
}

int main() {
  // ------------------------------------------------------ not reported
  // main's own handler returns 1 with 'own' joinable.
  std::thread own(work);
  try {
    mayThrow();
  } catch (...) {
    std::cerr << "failed\n";
    return 1;
  }
  own.join();
  try {
    // The body of a test program, a lambda run by a helper.
    runWithTimeLimit(
        [] {
          std::thread w1(work);
          std::thread w2(work);
          mayThrow();
          w1.join();
          w2.join();
        },
        20);
    // A lambda called on the spot.
    [] {
      std::thread w(work);
      mayThrow();
      w.join();
    }();
    helperCalledInMainTry();
  } catch (const std::exception &ex) {
    std::cerr << "Error: " << ex.what() << std::endl;
    return 1;
  }
  // Both branches fail; the other handler terminates.
  try {
    helperCalledUnderAbort();
  } catch (const std::exception &ex) {
    if (next())
      return EXIT_FAILURE;
    else
      std::abort();
  } catch (...) {
    std::terminate();
  }
  helperInsideTryEndingInExit();

  // ---------------------------------------------------------- reported
  // A handler that recovers: the program goes on.
  for (int i = 0; i < 3; ++i) {
    try {
      helperUnderRecoveringHandler();
    } catch (const std::exception &) {
      std::cerr << "retrying\n";
      continue;
    }
  }
  try {
    helperUnderZeroReturn();
  } catch (...) {
    return 0;
  }
  // Fails on one branch only.
  try {
    helperUnderConditionalReturn();
  } catch (...) {
    if (next())
      return 1;
  }
  try {
    // A lambda run by a helper that handles its exception and retries.
    retryOnce([] {
      std::thread w(work); // CHECK-NOTE: thread 'w' started here
      mayThrow(); // CHECK-WARN: thread 'w' is destroyed while joinable (std::terminate is called) if this call throws
      // CHECK-NOTE@-1: join or detach 'w' before this point
      w.join();
    });
  } catch (...) {
    return 1;
  }
  return notMain();
}
