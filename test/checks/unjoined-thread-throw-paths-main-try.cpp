// ReportThrowPaths (default user-exceptions): an exception that passes the
// handlers of main's try statements (none of them catches it) leaves main
// uncaught, and the program terminates whether or not a thread is joinable:
// that path is not reported. So is a thread declared inside a try block
// when every exception the call may throw is of a type (known from the
// throw expressions of its body) that none of the handlers catches. A
// handler that catches the exception and then skips the join is reported,
// and so is a thread inside the try when a handler may catch the exception
// or its type is unknown. unjoined-thread-throw-paths-all.cpp has them with
// `all`.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
#include <stdexcept>
#include <thread>

#include <string>

void work();
void mayThrow();
bool next() noexcept;
struct RequestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct TimeoutError : RequestError {
  using RequestError::RequestError;
};

static void throwsString() {
  if (!next())
    throw std::string("closed");
}
static void throwsTimeout() {
  if (!next())
    throw TimeoutError("timeout");
}
static void throwsLiteral() {
  if (!next())
    throw "closed";
}
static void throwsStringOrUnknown() {
  throwsString();
  mayThrow();
}
static void rethrows() {
  try {
    throwsString();
  } catch (...) {
    throw;
  }
}

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

// The thread is inside the try block, and nothing catches a std::string:
// the program terminates whether or not 't' is joinable.
static void threadInsideTryUncaughtType() {
  try {
    std::thread t(work);
    while (next())
      throwsString();
    t.join();
  } catch (const RequestError &) {
  }
}

// Nested try statements, a throw expression of the function itself.
static void threadInsideNestedTryUncaughtType() {
  try {
    try {
      std::thread t(work);
      if (!next())
        throw 42;
      throwsString();
      t.join();
    } catch (const std::invalid_argument &) {
    }
  } catch (const RequestError &) {
  }
}

// ---------------------------------------------------------------- positives

// A handler catches the type thrown (the thread inside the try).
static void threadInsideTryCaughtType() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    throwsTimeout(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (const TimeoutError &) {
  }
}

// A handler of a public base class.
static void threadInsideTryCaughtBase() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    throwsTimeout(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (std::exception &) {
  }
}

// An enclosing try's handler, by value with cv-qualifiers, catches it.
static void threadInsideTryCaughtOutside() {
  try {
    try {
      std::thread t(work); // CHECK-NOTE: thread 't' started here
      throwsString(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
      // CHECK-NOTE@-1: join or detach 't' before this point
      t.join();
    } catch (const RequestError &) {
    }
  } catch (const volatile std::string) {
  }
}

// `...` catches anything.
static void threadInsideTryCatchAll() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    throwsString(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (...) {
  }
}

// A string literal is thrown as a `const char *`.
static void threadInsideTryCaughtPointer() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    throwsLiteral(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (const char *) {
  }
}

// What a callee without a body, or a rethrow, throws is unknown.
static void threadInsideTryUnknownType() {
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    throwsStringOrUnknown(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (const RequestError &) {
  }
  try {
    std::thread t(work); // CHECK-NOTE: thread 't' started here
    rethrows(); // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 't' before this point
    t.join();
  } catch (const RequestError &) {
  }
}

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
  threadInsideTryUncaughtType();
  threadInsideNestedTryUncaughtType();
  threadInsideTryCaughtType();
  threadInsideTryCaughtBase();
  threadInsideTryCaughtOutside();
  threadInsideTryCatchAll();
  threadInsideTryCaughtPointer();
  threadInsideTryUnknownType();
  std::thread t(work);
  try {
    mayThrow();
  } catch (const RequestError &) {
  }
  t.join();
  return handlerReturns();
}
