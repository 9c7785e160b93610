// A class template's written destructor is its destructor, in the template
// and in a specialization this TU never destroys (C++20 selects among
// prospective destructors only when a specialization is instantiated: the
// template's own is "not selected", so it has none by lookup).
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
#include <atomic>
#include <functional>
#include <thread>

// --- Not flagged ---------------------------------------------------------

template <typename Clock = int> class TimerQueue {
public:
  TimerQueue() { thread_ = std::thread([this] { run(); }); }
  ~TimerQueue() {
    finish_ = true;
    if (thread_.joinable())
      thread_.join();
  }
  void add(std::function<void()> f) { f(); }

private:
  void run() {
    while (!finish_)
      std::this_thread::yield();
  }
  std::atomic<bool> finish_{false};
  std::thread thread_;
};

TimerQueue<> *queue();
void use() { queue()->add([] {}); }

// --- Flagged -------------------------------------------------------------

template <typename T> class Pump { // CHECK-WARN: the implicit destructor of 'Pump' does not join or detach thread member 't_' (std::terminate is called if it is joinable)
public:
  Pump() { t_ = std::thread([this] { run(); }); } // CHECK-NOTE: thread 't_' started here
  void push(T v) { v_ = v; }

private:
  void run() { (void)v_; }
  T v_{};
  std::thread t_;
};
// CHECK-NOTE@-10: join or detach 't_' in the destructor

Pump<int> *pump();
void feed() { pump()->push(1); }
