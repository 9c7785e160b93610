// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// CHECK-FIX: #include <atomic>
#include <mutex>
#include <thread>

void poll_once();

// --- Flagged ---------------------------------------------------------------

struct Poller {
  bool stop = false; // CHECK-FIX: std::atomic<bool> stop = false;
  void run() {
    while (!stop) // CHECK-WARN:13: loop condition reads plain bool 'stop', which another function writes
      poll_once();
  }
  void shutdown() { stop = true; } // CHECK-NOTE:26: 'stop' is written here
};

bool g_running = true; // CHECK-FIX: std::atomic<bool> g_running = true;
void serve() {
  while (g_running) // CHECK-WARN: loop condition reads plain bool 'g_running'
    poll_once();
}
void serve_again() {
  do
    poll_once();
  while (g_running); // CHECK-WARN: loop condition reads plain bool 'g_running'
}
void quit() { g_running = false; } // CHECK-NOTE: 'g_running' is written here
// CHECK-NOTE@-1: 'g_running' is written here

volatile bool g_vstop = false; // CHECK-NOTE: volatile does not make 'g_vstop' safe to share between threads
void vloop() {
  while (!g_vstop) // CHECK-WARN: loop condition reads plain bool 'g_vstop'
    poll_once();
}

void start() {
  std::thread t([] {
    g_vstop = true; // CHECK-NOTE: 'g_vstop' is written here
  });
  t.join();
}

// --- Not flagged -----------------------------------------------------------

struct Locked {
  std::mutex m;
  bool stop = false;
  void run() {
    std::unique_lock lk(m);
    while (!stop) {
      lk.unlock();
      poll_once();
      lk.lock();
    }
  }
  void shutdown() {
    std::lock_guard g(m);
    stop = true;
  }
};

// The loop sets the flag itself: ordinary single-threaded state.
struct Local {
  bool done = false;
  void run() {
    while (!done) {
      poll_once();
      done = true;
    }
  }
  void reset() { done = false; }
};

// Nobody else writes it.
struct ReadOnly {
  bool enabled = true;
  void run() {
    while (enabled)
      poll_once();
  }
};

// Only the constructor writes it.
struct CtorOnly {
  bool on;
  CtorOnly() { on = true; }
  void run() {
    while (on)
      poll_once();
  }
};

// Local flags are not shared.
void local_flag() {
  bool more = true;
  while (more)
    more = false;
}
