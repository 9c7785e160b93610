// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ReportReadsAfterOnceInit: true}}" -- -std=c++20
// ReportReadsAfterOnceInit: true reports the unlocked reads of a container
// filled once under its lock that unlocked-container-access-once-init.cpp
// shows hidden by default.
#include <mutex>
#include <vector>

class Ctx {
public:
  int createSocket() {
    std::lock_guard<std::mutex> l(sync_);
    if (starting_) {
      // CHECK-NOTE@+1: 'workers_' is modified under 'sync_' here
      workers_.push_back(1);
      starting_ = false;
    }
    return ++sockets_;
  }
  // CHECK-WARN@+2: container 'workers_' is read without holding 'sync_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'sync_' for this statement
  int choose() { return workers_[0]; }
  // CHECK-FIX: int choose() { std::scoped_lock lock(sync_); return workers_[0]; }

private:
  std::mutex sync_;
  bool starting_ = true;
  int sockets_ = 0;
  std::vector<int> workers_;
};

// A state member moved off `init` by the start, on either outcome, and read
// after the start's test in the start itself: reported with the option.
class Server {
  enum class State { init, started, stopped };

public:
  int start(bool ok) {
    {
      std::unique_lock<std::mutex> l(start_);
      if (state_ != State::init)
        return -1;
      // CHECK-NOTE@+2: 'acceptors_' is modified under 'start_' here
      // CHECK-NOTE@+1: 'acceptors_' is modified under 'start_' here
      acceptors_.push_back(1);
      if (ok)
        state_ = State::started;
      else
        state_ = State::stopped;
    }
    // CHECK-WARN@+1: container 'acceptors_' is read without holding 'start_', which guards its other accesses
    return acceptors_.front();
  }
  void stop() {
    std::unique_lock<std::mutex> l(start_);
    for (int a : acceptors_)
      close(a);
    state_ = State::stopped;
  }
  static void close(int);
  // CHECK-WARN@+2: container 'acceptors_' is read without holding 'start_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'start_' for this statement
  int port() const { return acceptors_[0]; }
  // CHECK-FIX: int port() const { std::scoped_lock lock(start_); return acceptors_[0]; }

private:
  mutable std::mutex start_;
  State state_ = State::init;
  std::vector<int> acceptors_;
};
