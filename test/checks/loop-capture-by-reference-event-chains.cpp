// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// Tasks ordered by events passed on from one to the next (marl's
// EventSequence): the caller's wait on the last event ends every task of
// the chain, since each signalled only after it waited on the event the one
// before signals.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

class Signal { // an event handle: copies share one flag
  struct State {
    std::mutex m;
    std::condition_variable cv;
    bool set = false;
  };
  const std::shared_ptr<State> s_ = std::make_shared<State>();

public:
  void signal() const {
    std::lock_guard<std::mutex> g(s_->m);
    s_->set = true;
    s_->cv.notify_all();
  }
  void wait() const {
    std::unique_lock<std::mutex> g(s_->m);
    s_->cv.wait(g, [this] { return s_->set; });
  }
};

template <class F> void schedule(F f) { std::thread(std::move(f)).detach(); }

std::string chain() {
  std::string all;
  for (int round = 0; round < 2; round++) {
    std::string sequence;
    Signal a, b, c, done;
    schedule([=, &sequence] {
      b.wait();
      sequence += "B";
      c.signal();
    });
    schedule([=, &sequence] {
      a.wait();
      sequence += "A";
      b.signal();
    });
    schedule([=, &sequence] {
      c.wait();
      sequence += "C";
      done.signal();
    });
    a.signal();
    done.wait();
    all += sequence;
  }
  return all;
}

// Still reported: a missing link. The last task signals an event the caller
// does not wait on: the first task may still run when the iteration ends.
std::string missing_link() {
  std::string all;
  for (int round = 0; round < 2; round++) {
    std::string sequence;
    Signal a, b, other, done;
    // CHECK-WARN@+2: 'sequence' is captured by reference in a lambda that is passed to 'schedule'
    // CHECK-NOTE@+1: passed to 'schedule' here
    schedule([=, &sequence] {
      a.wait();
      sequence += "A"; // CHECK-NOTE: 'sequence' is modified in the lambda
      b.signal();
    });
    schedule([=] {
      b.wait();
      other.signal();
    });
    schedule([=] { done.signal(); });
    a.signal();
    done.wait();
    all += "x";
  }
  return all;
}
