// ReportThrowPaths (default user-exceptions): an exception that passes the
// handlers of main's try statements (none of them catches it) leaves main
// uncaught, and the program terminates whether or not a thread is joinable:
// that path is not reported. A handler that catches the exception and then
// skips the join is. unjoined-thread-throw-paths-all.cpp has them with `all`.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <stdexcept>
#include <thread>

void work();
void mayThrow();
struct RequestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------- negatives

// The handler catches RequestError and goes on to the join; any other
// exception leaves main.
static void handlerThenJoin() {
  std::thread t(work);
  try {
    mayThrow();
  } catch (const RequestError &) {
  }
  t.join();
}

// Nested try statements, neither of which catches everything.
static void nestedHandlers() {
  std::thread t(work);
  try {
    try {
      mayThrow();
    } catch (const RequestError &) {
    }
  } catch (const std::invalid_argument &) {
  }
  t.join();
}

// ---------------------------------------------------------------- positives

// The handler catches the exception and returns without joining.
static int handlerReturns() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  try {
    mayThrow();
  } catch (const RequestError &) {
    return 1; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) when the function returns here
    // CHECK-NOTE@-1: join or detach 't' before this point
  }
  t.join();
  return 0;
}

// The thread is inside the try block: the handler catches the exception
// after the thread was destroyed while joinable.
static void threadInsideTry() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (const RequestError &) {
  }
}

// Callable from other translation units, which may catch what passes the
// handler.
void externalHandlerThenJoin() {
  std::thread t(work); // CHECK-NOTE: thread 't' started here
  try {
    mayThrow(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
  } catch (const RequestError &) {
  }
  t.join();
}

int main() {
  handlerThenJoin();
  nestedHandlers();
  threadInsideTry();
  std::thread t(work);
  try {
    mayThrow();
  } catch (const RequestError &) {
  }
  t.join();
  return handlerReturns();
}
