// Goroutines with no way to stop.
#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>

void poll_once();

// BAD: the loop ignores its stop_token; ~jthread requests stop and joins
// forever.
void start_poller(std::jthread &slot) {
  slot = std::jthread([](std::stop_token st) {
    while (true)
      poll_once();
  });
}

// BAD: a plain bool written by another thread: a data race, and the read
// may be hoisted out of the loop.
struct Poller {
  bool stop = false;
  void run() {
    while (!stop)
      poll_once();
  }
};

// GOOD: the loop watches its stop_token.
void start_poller_ok(std::jthread &slot) {
  slot = std::jthread([](std::stop_token st) {
    while (!st.stop_requested())
      poll_once();
  });
}

// GOOD: an atomic flag.
struct PollerOk {
  std::atomic<bool> stop{false};
  void run() {
    while (!stop.load())
      poll_once();
  }
};
