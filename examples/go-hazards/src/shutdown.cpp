// Goroutines with no way to stop.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <mutex>
#include <stop_token>
#include <thread>

void poll_once();

// BAD: the loop ignores its stop_token; ~jthread requests stop and joins
// forever. (pitfall-uncancellable-task, fix-it: while (!st.stop_requested()))
void start_poller(std::jthread &slot) {
  slot = std::jthread([](std::stop_token st) {
    while (true)
      poll_once();
  });
}

// BAD: a plain bool written by another thread: a data race, and the read
// may be hoisted out of the loop. (fix-it: std::atomic<bool>)
struct Poller {
  bool stop = false;
  void run() {
    while (!stop)
      poll_once();
  }
  void shutdown() { stop = true; }
};

// BAD: the loop checks its stop_token, but blocks in a wait that a stop
// request cannot wake.
struct Inbox {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
};
void start_consumer(std::jthread &slot, Inbox &in) {
  slot = std::jthread([&in](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(in.m);
      in.cv.wait(lk, [&] { return in.ready; });
      in.ready = false;
    }
  });
}

// BAD: a detached thread nobody can stop.
void start_reaper() {
  std::thread([] {
    for (;;) {
      poll_once();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }).detach();
}

// BAD: a coroutine that loops forever and never checks for cancellation.
struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};
task ticker() {
  for (;;) {
    co_await std::suspend_always{};
    poll_once();
  }
}

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
  void shutdown() { stop = true; }
};

// GOOD: the wait takes the stop_token, so request_stop() wakes it.
struct InboxOk {
  std::mutex m;
  std::condition_variable_any cv;
  bool ready = false;
};
void start_consumer_ok(std::jthread &slot, InboxOk &in) {
  slot = std::jthread([&in](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lk(in.m);
      if (!in.cv.wait(lk, st, [&] { return in.ready; }))
        return;
      in.ready = false;
    }
  });
}

// GOOD: the coroutine takes a stop_token.
task ticker_ok(std::stop_token st) {
  while (!st.stop_requested()) {
    co_await std::suspend_always{};
    poll_once();
  }
}
