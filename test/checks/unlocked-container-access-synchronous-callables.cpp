// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A function of the translation unit with an executor's name (`dispatch`,
// `post`, in the EscapeFunctions option) is taken for a task start only
// when its body does not just call the callable it is given: one that
// calls it before returning (IXWebSocket's transport `dispatch`, which
// calls the message callback) is a call, and the lambda runs on the
// caller's thread. One that starts a thread on it, or stores it for a
// worker, is still a start.
#include <functional>
#include <string>
#include <thread>
#include <vector>

struct Transport {
  void dispatch(const std::function<void(const std::string &)> &onMessage) {
    emit(onMessage);
  }
  void emit(const std::function<void(const std::string &)> &f) { f("m"); }
  void post(const std::function<void()> &f) { std::thread(f).detach(); }
  void enqueue(const std::function<void()> &f) { pending_.push_back(f); }
  std::vector<std::function<void()>> pending_;
};

// Called on the spot: the lambda's write and the loop's clear are one
// thread's.
struct Socket {
  void run() {
    for (int i = 0; i != 3; ++i) {
      ws_.dispatch([this](const std::string &m) { seen_.push_back(m); });
      seen_.clear();
    }
  }
  Transport ws_;
  std::vector<std::string> seen_;
};

// Started on a thread: reported.
struct Poster {
  void run() {
    ws_.post([this] { seen_.push_back("m"); }); // CHECK-NOTE: conflicting modification on another thread
    seen_.clear(); // CHECK-WARN: container 'seen_' is modified without a lock while another thread modifies it
  }
  Transport ws_;
  std::vector<std::string> seen_;
};

// Kept for later (a queue another thread may run): reported.
struct Queuer {
  void run() {
    ws_.enqueue([this] { seen_.push_back("m"); }); // CHECK-NOTE: conflicting modification on another thread
    seen_.clear(); // CHECK-WARN: container 'seen_' is modified without a lock while another thread modifies it
  }
  Transport ws_;
  std::vector<std::string> seen_;
};
