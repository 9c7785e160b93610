// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A WaitGroup or an event that is a handle (its only data is a shared_ptr to
// the state) is the same synchronisation object in every copy: a task that
// signals the copy it captured has ended when the original's wait() returns,
// so what the task wrote is read after the wait without a race.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <set>
#include <string>
#include <utility>

class WaitGroup { // a handle: copies share one counter
  struct State {
    std::mutex m;
    std::condition_variable cv;
    unsigned count = 0;
  };
  std::shared_ptr<State> s_ = std::make_shared<State>();

public:
  explicit WaitGroup(unsigned n = 0) { s_->count = n; }
  void add(unsigned n = 1) const {
    std::lock_guard<std::mutex> g(s_->m);
    s_->count += n;
  }
  void done() const {
    std::lock_guard<std::mutex> g(s_->m);
    if (--s_->count == 0)
      s_->cv.notify_all();
  }
  void wait() const {
    std::unique_lock<std::mutex> g(s_->m);
    s_->cv.wait(g, [this] { return s_->count == 0; });
  }
};

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

// Not a handle: each copy has its own counter, so the task's done() on its
// copy says nothing of the original's wait().
class CountingWaitGroup {
  std::shared_ptr<std::mutex> m_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::condition_variable> cv_ =
      std::make_shared<std::condition_variable>();
  unsigned count_ = 0;

public:
  explicit CountingWaitGroup(unsigned n = 0) : count_(n) {}
  void add(unsigned n = 1) {
    std::lock_guard<std::mutex> g(*m_);
    count_ += n;
  }
  void done() {
    std::lock_guard<std::mutex> g(*m_);
    if (--count_ == 0)
      cv_->notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> g(*m_);
    cv_->wait(g, [this] { return count_ == 0; });
  }
};

template <class F> void schedule(F f) { std::thread(std::move(f)).detach(); }

std::string read_after_wait_by_copy() {
  std::string got;
  WaitGroup wg(1);
  schedule([wg, &got] {
    got = "done";
    wg.done();
  });
  wg.wait();
  return got;
}

std::string read_after_wait_init_capture() {
  std::string got;
  WaitGroup wg(1);
  schedule([wg = wg, &got] {
    got = "done";
    wg.done();
  });
  wg.wait();
  return got;
}

std::size_t inserted_then_counted() {
  std::mutex mutex;
  std::set<int> seen;
  WaitGroup wg;
  for (int i = 0; i < 100; i++) {
    wg.add(1);
    schedule([&mutex, &seen, wg, i] {
      std::unique_lock<std::mutex> lock(mutex);
      seen.insert(i);
      lock.unlock();
      wg.done();
    });
  }
  wg.wait();
  return seen.size() + seen.count(3);
}

std::string event_one_task() {
  std::string sequence;
  Signal done;
  schedule([=, &sequence] {
    sequence += "A";
    done.signal();
  });
  done.wait();
  return sequence;
}

// Two tasks ordered by an event, each waited for through the one it signals.
std::string event_chain() {
  std::string sequence;
  Signal first, second;
  schedule([=, &sequence] {
    sequence += "A";
    first.signal();
  });
  schedule([=, &sequence] {
    first.wait();
    sequence += "B";
    second.signal();
  });
  first.wait();
  second.wait();
  return sequence;
}

// Still reported: a copy of a class with its own counter.
std::string counting_copy() {
  std::string got;
  CountingWaitGroup wg(1);
  schedule([wg, &got]() mutable {
    got = "done"; // CHECK-NOTE: conflicting modification on another thread
    wg.done();
  });
  wg.wait();
  return got; // CHECK-WARN: container 'got' is read without a lock while another thread modifies it
}

// Still reported: the handle is copied into the task, but never waited on.
std::string never_waited() {
  std::string got;
  WaitGroup wg(1);
  schedule([wg, &got] {
    got = "done"; // CHECK-NOTE: conflicting modification on another thread
    wg.done();
  });
  return got; // CHECK-WARN: container 'got' is read without a lock while another thread modifies it
}
