// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// A thread made by a library factory that constructs it from the arguments
// (std::make_shared<std::thread>(f), std::make_unique, std::allocate_shared)
// starts a task exactly as `std::thread(f)` does.
#include <atomic>
#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

void poll_once(int ms);

// --- Flagged ---------------------------------------------------------------

// The test server of an HTTP client library: the thread made by
// make_shared, the loop stopped by a plain bool another function clears.
class Server {
public:
  void Start() {
    should_run = true; // CHECK-NOTE: 'should_run' is written here
    serverThread = std::make_shared<std::thread>(&Server::Run, this);
    serverThread->detach();
  }
  void Stop() { should_run = false; }

private:
  void Run() {
    while (should_run) // CHECK-WARN: loop condition reads plain bool 'should_run', which another function writes
      poll_once(1000);
  }
  std::shared_ptr<std::thread> serverThread;
  bool should_run{false}; // CHECK-FIX: std::atomic<bool> should_run{false};
};

class Pump {
public:
  void start() {
    worker_ = std::make_unique<std::thread>([this] { // CHECK-NOTE: task started here
      for (;;) // CHECK-WARN: thread loop can never end; the thread is detached or long-lived
        poll_once(count_); // CHECK-NOTE@-1: give the loop an exit
    });
  }

private:
  int count_ = 1;
  std::unique_ptr<std::thread> worker_;
};

class Workers {
public:
  explicit Workers(int n) {
    for (int i = 0; i < n; ++i)
      workers_.push_back(std::allocate_shared<std::thread>( // CHECK-NOTE: task started here
          std::allocator<std::thread>(), [] {
            while (true) // CHECK-WARN: thread loop can never end
              poll_once(1); // CHECK-NOTE@-1: give the loop an exit
          }));
  }

private:
  std::vector<std::shared_ptr<std::thread>> workers_;
};

class JPump {
public:
  void start() {
    worker_ = std::make_shared<std::jthread>([] { // CHECK-NOTE: task started here
      for (;;) // CHECK-WARN: std::jthread loop can never end
        poll_once(1); // CHECK-NOTE@-1: take a std::stop_token as the first parameter
    });
  }

private:
  std::shared_ptr<std::jthread> worker_;
};

// --- Not flagged -----------------------------------------------------------

// Joined before the function returns.
void joined_heap_thread() {
  auto t = std::make_shared<std::thread>([] {
    for (;;)
      poll_once(1);
  });
  t->join();
}

class Stoppable {
public:
  void Start() {
    running_ = true;
    thread_ = std::make_shared<std::thread>(&Stoppable::Run, this);
  }
  void Stop() {
    running_ = false;
    thread_->join();
  }

private:
  void Run() {
    while (running_)
      poll_once(1);
  }
  std::shared_ptr<std::thread> thread_;
  std::atomic<bool> running_{false};
};

class JStoppable {
public:
  void start() {
    worker_ = std::make_unique<std::jthread>([](std::stop_token st) {
      while (!st.stop_requested())
        poll_once(1);
    });
  }

private:
  std::unique_ptr<std::jthread> worker_;
};

// No thread is started: a default-constructed thread, another type.
class Idle {
public:
  void make() {
    idle_ = std::make_shared<std::thread>();
    counts_ = std::make_shared<std::vector<int>>(4, 0);
  }

private:
  std::shared_ptr<std::thread> idle_;
  std::shared_ptr<std::vector<int>> counts_;
};
