// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// The flow layer under pitfall-uncancellable-task: helpers the task calls
// (summaries), callables followed through member function pointers,
// std::function, packaged_task, std::bind, variables and the project's own
// spawners, exceptional edges out of the loop, and templates.
#include <atomic>
#include <functional>
#include <future>
#include <stop_token>
#include <thread>

void poll_once();
bool try_poll();
void setup();

// ------------------------------------------------ helpers (summaries)

std::atomic<bool> g_stop{false};
struct Stopped {};

// A helper that consults a cancellation source counts as consulting it.
void serviceOnce() {
  if (!g_stop.load())
    poll_once();
}
void serviceOnceTwoLevels() { serviceOnce(); }
void serviceOnceUnchecked() { poll_once(); }

// A helper that throws out of the loop is an exit; one whose exception never
// leaves it is not.
void pollOrThrow() {
  if (!try_poll())
    throw Stopped{};
}
void pollAndSwallow() {
  try {
    if (!try_poll())
      throw Stopped{};
  } catch (...) {
  }
}

void helpersInTheLoop() {
  std::thread([] {
    for (;;)
      serviceOnce();
  }).detach();
  std::thread([] {
    for (;;)
      serviceOnceTwoLevels();
  }).detach();
  std::thread([] {
    for (;;)
      pollOrThrow();
  }).detach();
  std::thread([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      serviceOnceUnchecked(); // CHECK-NOTE@-1: give the loop an exit
  }).detach();
  std::thread([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      pollAndSwallow(); // CHECK-NOTE@-1: give the loop an exit
  }).detach();
}

// The loop is in a helper the task calls.
void serveForever() {
  for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
    poll_once(); // CHECK-NOTE@-1: give the loop an exit
}
void serveUntilStopped() {
  while (!g_stop.load())
    poll_once();
}
void startServers() {
  std::thread([] { // CHECK-NOTE: task started here
    setup();
    serveForever();
  }).detach();
  std::thread([] {
    setup();
    serveUntilStopped();
  }).detach();
}

// The task's stop_token passed to a helper: the helper's parameter is the
// token its loop must test.
void serveWithToken(std::stop_token token) {
  while (true) // CHECK-WARN: std::jthread loop can never end and never checks its std::stop_token
    poll_once();
  // CHECK-FIX@-2: while (!token.stop_requested())
}
void serveCheckingToken(std::stop_token token) {
  while (!token.stop_requested())
    poll_once();
}
void jthreadHelpers() {
  std::jthread a([](std::stop_token st) { // CHECK-NOTE: task started here
    setup();
    serveWithToken(st);
  });
  std::jthread b([](std::stop_token st) {
    setup();
    serveCheckingToken(st);
  });
}

// Detached through a helper; joined through a helper.
void detachIt(std::thread &t) { t.detach(); }
void joinIt(std::thread &t) { t.join(); }
void spinForever() {
  for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
    poll_once(); // CHECK-NOTE@-1: give the loop an exit
}
void spinWhileJoined() {
  for (;;)
    poll_once();
}
void threadHandledByHelpers() {
  std::thread t(spinForever); // CHECK-NOTE: task started here
  detachIt(t);
  std::thread u(spinWhileJoined);
  joinIt(u);
}

// ------------------------------------------------ callables

struct Worker {
  void loop() {
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  }
  void start() {
    std::thread(&Worker::loop, this).detach(); // CHECK-NOTE: task started here
  }
};

void storedCallables() {
  std::function<void()> job = [] {
    while (true) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  };
  std::thread(job).detach(); // CHECK-NOTE: task started here

  std::packaged_task<void()> task([] {
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
  std::thread(std::move(task)).detach(); // CHECK-NOTE: task started here

  auto forever = [] {
    for (;;) // CHECK-WARN: std::async task loops forever; the destructor of its future will block forever
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  };
  auto f = std::async(std::launch::async, forever); // CHECK-NOTE: task started here

  std::thread(std::bind( // CHECK-NOTE: task started here
                  [](int) {
                    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
                      poll_once(); // CHECK-NOTE@-1: give the loop an exit
                  },
                  1))
      .detach();

  // Not flagged: the stored callable checks a flag.
  std::function<void()> polite = [] {
    while (!g_stop.load())
      poll_once();
  };
  std::thread(polite).detach();
}

// The project's own spawner, recognised by what it does with its argument.
void spawnDetached(std::function<void()> f) {
  std::thread(std::move(f)).detach();
}
void runInline(const std::function<void()> &f) { f(); }

void userSpawners() {
  spawnDetached([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: task loop can never end; the task handed to 'spawnDetached' runs on another thread and can never be stopped
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
  // Not a task: runs on the spot.
  runInline([] {
    for (;;)
      poll_once();
  });
}

// ------------------------------------------------ exceptional edges

// A throw the loop's own handler catches is no exit; one a handler outside
// the loop catches is.
void exceptionEdges() {
  std::thread([] { // CHECK-NOTE: task started here
    for (;;) { // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      // CHECK-NOTE@-1: give the loop an exit
      try {
        pollOrThrow();
      } catch (...) {
      }
    }
  }).detach();
  std::thread([] {
    try {
      for (;;)
        pollOrThrow();
    } catch (const Stopped &) {
    }
  }).detach();
}

// ------------------------------------------------ templates

// A member of a class template, instantiated twice: reported once.
template <class T> struct Poller {
  void start() {
    std::thread([] { // CHECK-NOTE: task started here
      for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
        poll_once(); // CHECK-NOTE@-1: give the loop an exit
    }).detach();
  }
};

void usePollers() {
  Poller<int>().start();
  Poller<long>().start();
}

// A callable handed to a spawner template: in the instantiation for this
// lambda the detached thread runs it.
template <class F> void spawn(F f) {
  std::thread(std::move(f)).detach(); // CHECK-NOTE: task started here
}

void dependentCallable() {
  spawn([] {
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
  spawn([] {
    while (!g_stop.load())
      poll_once();
  });
}

// Never instantiated: analysed as written.
template <class T> void neverInstantiated(T) {
  std::thread([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  }).detach();
}
