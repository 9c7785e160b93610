// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// An active object's loop stops on a plain bool that a callable sent to the
// same object sets: the callable runs on the loop's own thread, between two
// turns of the loop, so the write is neither a data race nor one the loop
// could miss. A write from anywhere else is still reported.
// CHECK-FIX: #include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>

template <class T> class Mailbox {
  std::queue<T> q_;
  std::mutex m_;
  std::condition_variable cv_;

public:
  void push(T v) {
    {
      std::lock_guard<std::mutex> g(m_);
      q_.push(std::move(v));
    }
    cv_.notify_one();
  }
  void waitAndPop(T &out) {
    std::unique_lock<std::mutex> g(m_);
    cv_.wait(g, [this] { return !q_.empty(); });
    out = std::move(q_.front());
    q_.pop();
  }
};

// --- Not flagged: the stop message runs on the loop's thread ---------------

class Worker {
public:
  static std::unique_ptr<Worker> create() {
    std::unique_ptr<Worker> w(new Worker);
    w->thread_ = std::thread(&Worker::loop, w.get());
    return w;
  }
  ~Worker() {
    post([this] { finished_ = true; });
    thread_.join();
  }
  void post(std::function<void()> f) { box_.push(std::move(f)); }

private:
  Worker() = default;
  void loop() {
    while (!finished_) {
      std::function<void()> job;
      box_.waitAndPop(job);
      job();
    }
  }
  Mailbox<std::function<void()>> box_;
  std::thread thread_;
  bool finished_ = false;
};

// --- Flagged: the same object, but the flag is written by another thread ----

class Pump {
public:
  Pump() : thread_([this] { run(); }) {}
  ~Pump() {
    stop();
    thread_.join();
  }
  void post(std::function<void()> f) { box_.push(std::move(f)); }
  void stop() {
    stopped_ = true; // CHECK-NOTE: 'stopped_' is written here
    post([] {});
  }

private:
  void run() {
    while (!stopped_) { // CHECK-WARN: loop condition reads plain bool 'stopped_', which another function writes
      std::function<void()> job;
      box_.waitAndPop(job);
      job();
    }
  }
  Mailbox<std::function<void()>> box_;
  bool stopped_ = false; // CHECK-FIX: std::atomic<bool> stopped_ = false;
  std::thread thread_;
};

// --- Flagged: the callable that sets the flag is sent to ANOTHER active
// object, whose thread is not the loop's ----------------------------------

class Relay {
public:
  explicit Relay(Worker &other) : other_(other), thread_([this] { run(); }) {}
  ~Relay() {
    other_.post([this] { done_ = true; }); // CHECK-NOTE: 'done_' is written here
    post([] {});
    thread_.join();
  }
  void post(std::function<void()> f) { box_.push(std::move(f)); }

private:
  void run() {
    while (!done_) { // CHECK-WARN: loop condition reads plain bool 'done_', which another function writes
      std::function<void()> job;
      box_.waitAndPop(job);
      job();
    }
  }
  Worker &other_;
  Mailbox<std::function<void()>> box_;
  bool done_ = false; // CHECK-FIX: std::atomic<bool> done_ = false;
  std::thread thread_;
};

void use() {
  auto w = Worker::create();
  w->post([] {});
  Pump p;
  Relay r(*w);
}
