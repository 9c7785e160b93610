// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// A detached thread that uses a local by reference and then signals a
// WaitGroup the function waits on: the wait orders the thread's uses before
// the local dies. The WaitGroup may be captured by copy when its class is a
// handle (its copies share one counter): coost's co::wait_group holds a
// single `void *`, its copy constructor (defined in another translation
// unit) shares it, and add/done/wait are const. Its name, `wait_group`, is a
// WaitGroup name in another case style.
#include <latch>
#include <memory>
#include <thread>

void consume(int);

namespace co {
class wait_group { // a handle: a copy refers to the same counter
public:
  explicit wait_group(unsigned n);
  wait_group() : wait_group(0) {}
  ~wait_group();
  wait_group(wait_group &&wg) noexcept : _p(wg._p) { wg._p = 0; }
  wait_group(const wait_group &wg);
  void operator=(const wait_group &) = delete;
  void add(unsigned n = 1) const;
  void done() const;
  void wait() const;

private:
  void *_p;
};

template <class T> class chan { // a channel handle
public:
  chan();
  chan(const chan &c);
  ~chan();
  void operator>>(T &x) const;
  void operator<<(const T &x) const;
  bool done() const;

private:
  void *_p;
};
} // namespace co

// A handle written out in the translation unit: the implicit copy
// constructor copies the pointer to the shared state.
struct SharedCount {
  int n = 0;
};
class Wait_Group {
public:
  explicit Wait_Group(SharedCount *s) : s_(s) {}
  void Add(int n) { s_->n += n; }
  void Done() { --s_->n; }
  void Wait() {
    while (s_->n != 0) {
    }
  }

private:
  SharedCount *s_;
};

// Not handles: each copy has its own counter.
class CountingWaitGroup {
public:
  void add(int n) { count_ += n; }
  void done() { --count_; }
  void wait();

private:
  int count_ = 0;
};

class DeepWaitGroup { // its copy constructor makes a new counter
public:
  DeepWaitGroup() : s_(new SharedCount) {}
  DeepWaitGroup(const DeepWaitGroup &o) : s_(new SharedCount(*o.s_)) {}
  ~DeepWaitGroup() { delete s_; }
  void add(int n) const { s_->n += n; }
  void done() const { --s_->n; }
  void wait() const;

private:
  SharedCount *s_;
};

// ---------------------------------------------------------------- negatives

void handleByCopy() {
  int v = 0;
  co::wait_group wg;
  wg.add(8);
  std::thread([wg, &v]() {
    ++v;
    wg.done();
  }).detach();
  wg.wait();
  consume(v);
}

void handleByCopyDefault() {
  int v = 0;
  co::wait_group wg;
  wg.add(1);
  std::thread t([=, &v]() {
    ++v;
    wg.done();
  });
  t.detach();
  wg.wait();
  consume(v);
}

struct Item {
  int v = 0;
};

void handleAfterChannelLoop() {
  Item y;
  co::chan<Item> ch;
  co::wait_group wg;
  wg.add(2);
  std::thread([ch, wg, &y]() {
    do {
      ch >> y;
    } while (!ch.done());
    wg.done();
  }).detach();
  ch << Item{7};
  wg.wait();
  consume(y.v);
}

void writtenHandleByCopy() {
  SharedCount state;
  int v = 0;
  Wait_Group wg(&state);
  wg.Add(1);
  std::thread([wg, &v]() mutable {
    ++v;
    wg.Done();
  }).detach();
  wg.Wait();
  consume(v);
}

void latchUsesBeforeArrival() {
  int result = 0;
  std::latch finished(1);
  std::thread([&] {
    result = 1;
    consume(result);
    finished.count_down();
  }).detach();
  finished.wait();
}

// ---------------------------------------------------------------- positives

void useAfterDone() {
  int v = 0;
  co::wait_group wg;
  wg.add(1);
  std::thread([wg, &v]() {
    wg.done();
    ++v; // CHECK-NOTE: 'v' used by the detached thread here
  }).detach(); // CHECK-WARN: detached thread uses 'v' by reference, which is destroyed at the end of its scope while the thread may still run
  wg.wait();
}

void latchUseAfterArrival() {
  int result = 0;
  std::latch finished(1);
  std::thread t([&] {
    finished.count_down();
    result = 1; // CHECK-NOTE: 'result' used by the detached thread here
  });
  t.detach(); // CHECK-WARN: detached thread uses 'result' by reference
  finished.wait();
}

void countingCopy() {
  int v = 0;
  CountingWaitGroup wg;
  wg.add(1);
  std::thread([wg, &v]() mutable {
    ++v; // CHECK-NOTE: 'v' used by the detached thread here
    wg.done();
  }).detach(); // CHECK-WARN: detached thread uses 'v' by reference
  wg.wait();
}

void deepCopy() {
  int v = 0;
  DeepWaitGroup wg;
  wg.add(1);
  std::thread([wg, &v]() {
    ++v; // CHECK-NOTE: 'v' used by the detached thread here
    wg.done();
  }).detach(); // CHECK-WARN: detached thread uses 'v' by reference
  wg.wait();
}

void noArrival() {
  int v = 0;
  co::wait_group wg;
  wg.add(1);
  std::thread([wg, &v]() {
    ++v; // CHECK-NOTE: 'v' used by the detached thread here
  }).detach(); // CHECK-WARN: detached thread uses 'v' by reference
  wg.wait();
}
