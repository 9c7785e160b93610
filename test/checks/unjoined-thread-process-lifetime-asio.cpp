// REQUIRES: asio
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17
// RUN: %scan_one %s pitfall-unjoined-thread \
// RUN:   --option pitfall-unjoined-thread.ReportProcessLifetimeThreads=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=REPORT
// A thread that runs an io_context kept alive by a work guard the thread
// holds, started by main (or a function only main calls) that never stops
// the io_context, runs for the process lifetime: the server demo's I/O
// thread beside an accept loop that never returns. Joining it after the
// loop would hang; the only way it is destroyed joinable is an exception
// out of the server's start (a port in use), when the program ends anyway:
// dismissible, reported with ReportProcessLifetimeThreads (as a note). A
// client that stops the io_context once it is done, a guard the thread
// resets, a thread with no guard, and a starter other code calls are still
// reported.
#include <asio.hpp>
#include <functional>
#include <iostream>
#include <thread>

void serve(asio::io_context &io); // an endless accept loop; throws on bind
void request(asio::io_context &io);

// ---------------------------------------------------------------- negatives

static void server() {
  asio::io_context io;
  std::thread thd([&io] {
    auto work = asio::make_work_guard(io);
    io.run();
  });
  serve(io);
  thd.join();
}

static void serverWithGuardObject() {
  asio::io_context io;
  std::thread thd([&io] {
    asio::executor_work_guard<asio::io_context::executor_type> work(
        io.get_executor());
    io.run();
  });
  serve(io);
  thd.join();
}

// ---------------------------------------------------------------- positives

// The client stops the io_context when its request is done: the thread
// ends, and an exception from the request skips the join.
static void client() {
  asio::io_context io;
  std::thread thd([&io] { // CHECK-NOTE: thread 'thd' started here
    auto work = asio::make_work_guard(io);
    io.run();
  });
  // CHECK-NOTE@+1: join or detach 'thd' before this point
  request(io); // CHECK-WARN: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
  io.stop();
  thd.join();
}

// A signal handler stops the io_context (a lambda of the starter): the
// thread ends on SIGINT, and an exception skips the join.
void onSignal(asio::io_context &io, std::function<void()> handler);
static void stoppedBySignal() {
  asio::io_context io;
  std::thread thd([&io] { // CHECK-NOTE: thread 'thd' started here
    auto work = asio::make_work_guard(io);
    io.run();
  });
  // CHECK-NOTE@+2: join or detach 'thd' before this point
  // CHECK-WARN@+1: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
  onSignal(io, [&io] { io.stop(); });
  serve(io);
  thd.join();
}

// The thread lets go of its guard: run() returns once the work is done.
static void releasedGuard() {
  asio::io_context io;
  std::thread thd([&io] { // CHECK-NOTE: thread 'thd' started here
    auto work = asio::make_work_guard(io);
    io.poll();
    work.reset();
    io.run();
  });
  // CHECK-NOTE@+1: join or detach 'thd' before this point
  serve(io); // CHECK-WARN: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
  thd.join();
}

// No guard: run() returns when the io_context has nothing to do.
static void unguarded() {
  asio::io_context io;
  std::thread thd([&io] { io.run(); }); // CHECK-NOTE: thread 'thd' started here
  // CHECK-NOTE@+1: join or detach 'thd' before this point
  serve(io); // CHECK-WARN: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
  thd.join();
}

// Called by other code than main (restart()): not the program's own
// lifetime.
void startServer() {
  asio::io_context io;
  std::thread thd([&io] { // CHECK-NOTE: thread 'thd' started here
    auto work = asio::make_work_guard(io);
    io.run();
  });
  // CHECK-NOTE@+1: join or detach 'thd' before this point
  serve(io); // CHECK-WARN: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
  thd.join();
}

void restart() { startServer(); }

// main catches what the servers throw and exits normally (the demos print
// the error): without such a handler the program would fail either way,
// and no throw path is reported.
int main() {
  try {
    server();
    serverWithGuardObject();
    client();
    stoppedBySignal();
    releasedGuard();
    unguarded();
    startServer();
  } catch (const std::exception &e) {
    std::cerr << "Exception: " << e.what() << "\n";
  }
  return 0;
}

// With ReportProcessLifetimeThreads the two servers' throw paths are notes.
// REPORT: process-lifetime-asio.cpp:32:3: note: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
// REPORT: process-lifetime-asio.cpp:43:3: note: thread 'thd' is destroyed while joinable (std::terminate is called) if this call throws
// REPORT: process-lifetime-asio.cpp:58:3: warning: thread 'thd' is destroyed while joinable
