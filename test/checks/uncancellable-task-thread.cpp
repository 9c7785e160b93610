// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <vector>

void poll_once();
bool try_poll();

// --- Flagged ---------------------------------------------------------------

void detached_temporary() {
  std::thread([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  }).detach();
}

void detached_variable() {
  std::thread t([] { // CHECK-NOTE: task started here
    while (true) // CHECK-WARN: thread loop can never end
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
  t.detach();
}

void forever() {
  while (true) // CHECK-WARN: thread loop can never end
    poll_once(); // CHECK-NOTE@-1: give the loop an exit
}
void detached_function() {
  std::thread(&forever).detach(); // CHECK-NOTE: task started here
}

class Service {
public:
  Service() : worker_([this] { loop(); }) {} // CHECK-NOTE: task started here
  void restart() {
    other_ = std::thread([this] { // CHECK-NOTE: task started here
      for (;;) // CHECK-WARN: thread loop can never end
        poll_once(); // CHECK-NOTE@-1: give the loop an exit
    });
  }
  ~Service();

private:
  void loop() {
    for (;;) // CHECK-WARN: thread loop can never end
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  }
  std::thread worker_;
  std::thread other_;
};

class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([] { // CHECK-NOTE: task started here
        while (true) // CHECK-WARN: thread loop can never end
          poll_once(); // CHECK-NOTE@-1: give the loop an exit
      });
  }
  ~Pool();

private:
  std::vector<std::thread> workers_;
};

void heap_thread() {
  new std::thread([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
}

struct Holder {
  std::vector<std::thread> threads;
  void add() {
    threads.push_back(std::thread([] { // CHECK-NOTE: task started here
      while (true) // CHECK-WARN: thread loop can never end
        poll_once(); // CHECK-NOTE@-1: give the loop an exit
    }));
  }
};

void static_thread() {
  static std::thread t([] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: thread loop can never end
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
}

// A break that only leaves a switch, and a throw caught inside the loop.
void detached_switch(int mode) {
  std::thread([mode] { // CHECK-NOTE: task started here
    for (;;) { // CHECK-WARN: thread loop can never end
      // CHECK-NOTE@-1: give the loop an exit
      switch (mode) {
      case 1:
        break;
      default:
        poll_once();
      }
      try {
        if (!try_poll())
          throw 42;
      } catch (...) {
      }
    }
  }).detach();
}

void async_forever() {
  auto f = std::async(std::launch::async, [] { // CHECK-NOTE: task started here
    for (;;) // CHECK-WARN: std::async task loops forever; the destructor of its future will block forever
      poll_once(); // CHECK-NOTE@-1: give the loop an exit
  });
}

// --- Not flagged -----------------------------------------------------------

// A scoped thread that is joined: the loop runs the program.
void joined() {
  std::thread t([] {
    for (;;)
      poll_once();
  });
  t.join();
}

void detached_with_exit() {
  std::thread([] {
    for (;;)
      if (!try_poll())
        return;
  }).detach();
}

std::atomic<bool> g_stop{false};
void detached_atomic_flag() {
  std::thread([] {
    while (!g_stop.load())
      poll_once();
  }).detach();
}

class PoolOk {
public:
  explicit PoolOk(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] {
        for (;;) {
          if (stop_)
            return;
          poll_once();
        }
      });
  }

private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;
};

// The throw leaves the loop: the catch is outside it.
void detached_throw_out() {
  std::thread([] {
    try {
      for (;;)
        if (!try_poll())
          throw 42;
    } catch (int) {
    }
  }).detach();
}

void async_deferred() {
  auto f = std::async(std::launch::deferred, [] {
    for (;;)
      poll_once();
  });
}

void async_bounded() {
  auto f = std::async(std::launch::async, [] {
    for (int i = 0; i < 10; ++i)
      poll_once();
  });
}

// --- Threads started outside any function ------------------------------------

// A namespace-scope thread lives as long as the program.
std::thread global_worker([] { // CHECK-NOTE: task started here
  for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived and can never be stopped or joined
    poll_once(); // CHECK-NOTE@-1: give the loop an exit
});

// A namespace-scope jthread whose lambda takes no token.
std::jthread global_jworker([] { // CHECK-NOTE: task started here
  for (;;) // CHECK-WARN: std::jthread loop can never end; the jthread's destructor will block forever
    poll_once(); // CHECK-NOTE@-1: take a std::stop_token as the first parameter
});

// With a token it can be stopped.
std::jthread global_stoppable([](std::stop_token st) {
  while (!st.stop_requested())
    poll_once();
});
