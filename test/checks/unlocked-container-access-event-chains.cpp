// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Tasks ordered by events passed on from one to the next (marl's
// EventSequence): each task waits on the event the one before signals, then
// writes, then signals its own; the caller signals the first and waits on
// the last. Happens-before is transitive through the chain, and what the
// caller does before it first signals comes before every task's access.
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
  bool empty = sequence.empty(); // before a.signal(): no task has run yet
  a.signal();
  done.wait();
  return empty ? sequence : "";
}

std::string chain_in_a_loop() {
  std::string all;
  for (int round = 0; round < 2; round++) {
    std::string sequence;
    Signal first, second, done;
    schedule([=, &sequence] {
      second.wait();
      sequence += "2";
      done.signal();
    });
    schedule([=, &sequence] {
      first.wait();
      sequence += "1";
      second.signal();
    });
    if (!sequence.empty())
      return "";
    first.signal();
    done.wait();
    all += sequence;
  }
  return all;
}

// Still reported: the second task writes before it waits.
std::string access_before_wait() {
  std::string sequence;
  Signal first, done;
  schedule([=, &sequence] {
    sequence += "2"; // CHECK-WARN: container 'sequence' is modified without a lock while another thread modifies it
    first.wait();
    done.signal();
  });
  schedule([=, &sequence] {
    sequence += "1"; // CHECK-NOTE: conflicting modification on another thread
    first.signal();
  });
  done.wait();
  return sequence;
}

// Still reported: a missing link. The last task signals an event the caller
// never waits on, so nothing orders the caller's read after its write.
std::string missing_link() {
  std::string sequence;
  Signal first, other, done;
  schedule([=, &sequence] {
    sequence += "1";
    first.signal();
  });
  schedule([=, &sequence] {
    first.wait();
    sequence += "2"; // CHECK-NOTE: conflicting modification on another thread
    other.signal();
  });
  first.wait();
  return sequence; // CHECK-WARN: container 'sequence' is read without a lock while another thread modifies it
}

// Still reported: the caller reads after it signalled the first event.
std::string read_after_first_signal() {
  std::string sequence;
  Signal first, done;
  schedule([=, &sequence] {
    first.wait();
    sequence += "1"; // CHECK-NOTE: conflicting modification on another thread
    done.signal();
  });
  first.signal();
  bool empty = sequence.empty(); // CHECK-WARN: container 'sequence' is read without a lock while another thread modifies it
  done.wait();
  return empty ? sequence : "";
}

// Still reported: another task signals the middle event too, without
// waiting: the caller's wait on `done` says nothing of the first task.
std::string second_signaller() {
  std::string sequence;
  Signal first, second, done;
  schedule([=, &sequence] {
    sequence += "1"; // CHECK-NOTE: conflicting modification on another thread
    first.signal();
  });
  schedule([=] {
    first.wait();
    second.signal();
  });
  schedule([=] { second.signal(); });
  schedule([=] {
    second.wait();
    done.signal();
  });
  done.wait();
  return sequence; // CHECK-WARN: container 'sequence' is read without a lock while another thread modifies it
}

// The same without the second signaller: ordered through the chain.
std::string two_hops() {
  std::string sequence;
  Signal first, second, done;
  schedule([=, &sequence] {
    sequence += "1";
    first.signal();
  });
  schedule([=] {
    first.wait();
    second.signal();
  });
  schedule([=] {
    second.wait();
    done.signal();
  });
  done.wait();
  return sequence;
}
