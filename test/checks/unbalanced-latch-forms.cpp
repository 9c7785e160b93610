// RUN: %check_tidy %s pitfall-unbalanced-latch -- -std=c++20
// Forms taken by real bugs: a binary semaphore released by several workers
// and acquired once, a barrier participant that leaves by an exception, a
// latch reused across iterations, hand-written barriers whose wait has no
// predicate or rechecks a count the last arrival resets. Each with the
// fixed shape.
#include <barrier>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <thread>
#include <vector>

bool bad(int);
void work(int);

// ------------------------------------------------ semaphores as signals

void binaryReleasedByMany(int n) {
  std::binary_semaphore done(0); // CHECK-NOTE: 'done' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] { // CHECK-NOTE: workers started here release it n times
      work(i);
      done.release();
    });
  // CHECK-WARN@+2: semaphore 'done' (maximum 1) is released n times by workers but acquired 1 time here
  // CHECK-NOTE@+1: wait for all of them with a std::latch
  done.acquire();
}

void binaryReleasedByTwo() {
  std::binary_semaphore done(0); // CHECK-NOTE: 'done' declared here
  std::jthread a([&] { // CHECK-NOTE: workers started here release it 1 times
    work(1);
    done.release();
  });
  std::jthread b([&] { // CHECK-NOTE: workers started here release it 1 times
    work(2);
    done.release();
  });
  // CHECK-WARN@+2: semaphore 'done' (maximum 1) is released 2 times by workers but acquired 1 time here
  // CHECK-NOTE@+1: wait for all of them with a std::latch
  done.acquire();
}

// Not flagged: one worker; a latch; a counting semaphore acquired once per
// release; a semaphore each worker acquires and releases (a lock).
void binaryOneWorker() {
  std::binary_semaphore done(0);
  std::jthread a([&] {
    work(1);
    done.release();
  });
  done.acquire();
}

void latchForMany(int n) {
  std::latch done(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&done, i] {
      work(i);
      done.count_down();
    });
  done.wait();
}

void countingAcquiredPerRelease() {
  std::counting_semaphore<4> done(0);
  std::vector<std::jthread> ts;
  for (int i = 0; i < 3; ++i)
    ts.emplace_back([&done, i] {
      work(i);
      done.release();
    });
  for (int i = 0; i < 3; ++i)
    done.acquire();
}

void binaryAsLock(int n) {
  std::binary_semaphore gate(1);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&gate, i] {
      gate.acquire();
      work(i);
      gate.release();
    });
  gate.acquire();
  gate.release();
}

// ------------------------------------------------ barrier participants

void barrierParticipantThrows(int n) {
  std::barrier sync(n); // CHECK-NOTE: 'sync' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&sync, i] {
      if (bad(i))
        // CHECK-WARN@+2: worker throws without arriving at barrier 'sync' on this path
        // CHECK-NOTE@+1: arrive from a scope guard
        throw std::runtime_error("bad input");
      work(i);
      sync.arrive_and_wait(); // CHECK-NOTE: other paths arrive here
    });
}

void barrierParticipantReturns(int n) {
  std::barrier sync(n); // CHECK-NOTE: 'sync' declared here
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&sync, i] {
      if (bad(i))
        // CHECK-WARN@+2: worker returns without arriving at barrier 'sync' on this path
        // CHECK-NOTE@+1: arrive from a scope guard
        return;
      work(i);
      sync.arrive_and_wait(); // CHECK-NOTE: other paths arrive here
    });
}

void barrierParticipantDrops(int n) {
  std::barrier sync(n);
  std::vector<std::jthread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&sync, i] {
      if (bad(i)) {
        sync.arrive_and_drop();
        return;
      }
      work(i);
      sync.arrive_and_wait();
    });
}

// ------------------------------------------------ a latch reused per round

void latchReused(int rounds) {
  std::latch ready(1); // CHECK-NOTE: 'ready' declared outside the loop here; construct a latch per iteration or use std::barrier
  for (int r = 0; r < rounds; ++r) {
    std::jthread t([&] {
      work(r);
      ready.count_down();
    });
    ready.wait(); // CHECK-WARN: single-use latch 'ready' is waited on in every iteration of a loop
  }
}

void latchPerRound(int rounds) {
  for (int r = 0; r < rounds; ++r) {
    std::latch ready(1);
    std::jthread t([&] {
      work(r);
      ready.count_down();
    });
    ready.wait();
  }
}

// ------------------------------------------------ hand-written barriers

class SpuriousBarrier {
public:
  explicit SpuriousBarrier(int n) : n_(n), left_(n) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lk(m_);
    if (--left_ == 0) {
      left_ = n_;
      cv_.notify_all();
      return;
    }
    // CHECK-WARN@+2: condition variable 'cv_' is waited on without a predicate in a hand-written barrier
    // CHECK-NOTE@+1: wait for a generation counter to change
    cv_.wait(lk);
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int n_, left_;
};

class ResetCountBarrier {
public:
  explicit ResetCountBarrier(int n) : n_(n), left_(n) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lk(m_);
    if (--left_ == 0) {
      left_ = n_; // CHECK-NOTE: reset here
      cv_.notify_all();
      return;
    }
    // CHECK-WARN@+2: the wait on condition variable 'cv_' rechecks a count that the last arrival resets
    // CHECK-NOTE@+1: wait for a generation counter to change
    cv_.wait(lk, [this] { return left_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int n_, left_;
};

// Not flagged: a generation counter (in a predicate or a loop), and a
// one-shot latch whose count is never reset.
class GenerationBarrier {
public:
  explicit GenerationBarrier(int n) : n_(n), left_(n) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lk(m_);
    unsigned gen = gen_;
    if (--left_ == 0) {
      left_ = n_;
      ++gen_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lk, [&] { return gen != gen_; });
  }
  void arrive_and_wait_loop() {
    std::unique_lock<std::mutex> lk(m_);
    unsigned gen = gen_;
    if (--left_ == 0) {
      left_ = n_;
      ++gen_;
      cv_.notify_all();
      return;
    }
    while (gen == gen_)
      cv_.wait(lk);
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int n_, left_;
  unsigned gen_ = 0;
};

class OneShotLatch {
public:
  explicit OneShotLatch(int n) : left_(n) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lk(m_);
    if (--left_ == 0) {
      cv_.notify_all();
      return;
    }
    cv_.wait(lk, [this] { return left_ == 0; });
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  int left_;
};
