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
