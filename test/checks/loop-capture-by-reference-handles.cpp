// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++20
// A WaitGroup or an event that is a handle: its only data is a shared_ptr to
// the state, so a copy is the same synchronisation object as the original.
// A task that signals its copy (captured by copy, by an init-capture, or
// handed as a by-value argument) ends before the original's wait() returns,
// as when it captures the original by reference.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
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
template <class F, class A> void schedule_with(F f, A a) {
  std::thread(std::move(f), std::move(a)).detach();
}

void by_reference() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    std::mutex m;
    WaitGroup wg(4);
    for (int j = 0; j < 4; j++)
      schedule([&wg, &hits, &m] {
        {
          std::lock_guard<std::mutex> g(m);
          ++hits;
        }
        wg.done();
      });
    wg.wait();
  }
}

void by_copy() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    std::mutex m;
    WaitGroup wg(4);
    for (int j = 0; j < 4; j++)
      schedule([=, &hits, &m] {
        {
          std::lock_guard<std::mutex> g(m);
          ++hits;
        }
        wg.done();
      });
    wg.wait();
  }
}

void by_explicit_copy_added_each_time() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    std::mutex m;
    WaitGroup wg;
    for (int j = 0; j < 4; j++) {
      wg.add(1);
      schedule([&m, &hits, wg] {
        std::lock_guard<std::mutex> g(m);
        ++hits;
        wg.done();
      });
    }
    wg.wait();
  }
}

void by_init_capture() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    WaitGroup wg(1);
    schedule([group = wg, &hits] {
      ++hits;
      group.done();
    });
    wg.wait();
  }
}

void by_value_argument() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    WaitGroup wg(1);
    schedule_with(
        [&hits](WaitGroup group) {
          ++hits;
          group.done();
        },
        wg);
    wg.wait();
  }
}

void event_by_copy() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    Signal done;
    schedule([=, &hits] {
      ++hits;
      done.signal();
    });
    done.wait();
  }
}

// Still reported: a copy of a class with its own counter.
void counting_copy() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    CountingWaitGroup wg(1);
    // CHECK-WARN@+2: 'hits' is captured by reference in a lambda that is passed to 'schedule'
    // CHECK-NOTE@+1: passed to 'schedule' here
    schedule([=, &hits]() mutable {
      ++hits; // CHECK-NOTE: 'hits' is modified in the lambda
      wg.done();
    });
    wg.wait();
  }
}

// Still reported: the task signals its copy, the iteration never waits.
void never_waited() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    WaitGroup wg(1);
    // CHECK-WARN@+2: 'hits' is captured by reference in a lambda that is passed to 'schedule'
    // CHECK-NOTE@+1: passed to 'schedule' here
    schedule([wg, &hits] {
      ++hits; // CHECK-NOTE: 'hits' is modified in the lambda
      wg.done();
    });
  }
}

// Still reported: the wait comes before the task is scheduled.
void waited_before() {
  for (int i = 0; i < 10; i++) {
    int hits = 0;
    WaitGroup wg(1);
    wg.wait();
    // CHECK-WARN@+2: 'hits' is captured by reference in a lambda that is passed to 'schedule'
    // CHECK-NOTE@+1: passed to 'schedule' here
    schedule([wg, &hits] {
      ++hits; // CHECK-NOTE: 'hits' is modified in the lambda
      wg.done();
    });
  }
}
