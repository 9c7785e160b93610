// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A lambda stored in an object (a private std::function member initialised
// from the constructor's parameter) runs where that object's members call
// the member: at the call sites of those members. When every one holds the
// lock of the class that created the lambda (through `this`), the lambda is
// entered with it, and so are the helpers it calls.
#include <deque>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>

class Buffer {
  class Request {
    std::function<void()> f_;

  public:
    explicit Request(std::function<void()> f) : f_(std::move(f)) {}
    void complete() { f_(); }
  };
  std::mutex m_;
  std::deque<int> blocks_;
  std::queue<Request> requests_;

  int readLocked() {
    if (blocks_.empty())
      return -1;
    int v = blocks_.front();
    blocks_.pop_front();
    return v;
  }
  void enqueue(Request r) {
    std::lock_guard<std::mutex> g(m_);
    if (!blocks_.empty())
      r.complete();
    else
      requests_.push(std::move(r));
  }

public:
  int readNow() {
    std::lock_guard<std::mutex> g(m_);
    return readLocked();
  }
  void readLater(std::function<void(int)> done) {
    enqueue(Request([this, done] { done(readLocked()); }));
  }
  void write(int v) {
    std::lock_guard<std::mutex> g(m_);
    blocks_.push_back(v);
    while (!requests_.empty() && !blocks_.empty()) {
      requests_.front().complete();
      requests_.pop();
    }
  }
};

// Still reported: one member completes the request without the lock.
class Stream {
  class Request {
    std::function<void()> f_;

  public:
    explicit Request(std::function<void()> f) : f_(std::move(f)) {}
    void complete() { f_(); }
  };
  std::mutex m_;
  std::deque<int> blocks_;
  std::queue<Request> requests_;

  int readLocked() {
    if (blocks_.empty()) // CHECK-WARN: container 'blocks_' is read without holding 'm_', which guards its other accesses
      return -1;
    int v = blocks_.front(); // CHECK-WARN: container 'blocks_' is read without holding 'm_', which guards its other accesses
    blocks_.pop_front(); // CHECK-WARN: container 'blocks_' is modified without holding 'm_', which guards its other accesses
    return v;
  }

public:
  int readNow() {
    std::lock_guard<std::mutex> g(m_);
    return readLocked();
  }
  void readLater(std::function<void(int)> done) {
    std::lock_guard<std::mutex> g(m_);
    // CHECK-NOTE@+3: 'requests_' is modified under 'm_' here
    // CHECK-NOTE@+2: 'requests_' is modified under 'm_' here
    // CHECK-NOTE@+1: 'requests_' is modified under 'm_' here
    requests_.push(Request([this, done] { done(readLocked()); }));
  }
  void write(int v) {
    std::lock_guard<std::mutex> g(m_);
    blocks_.push_back(v); // CHECK-NOTE: 'blocks_' is modified under 'm_' here
    // CHECK-NOTE@-1: 'blocks_' is modified under 'm_' here
    // CHECK-NOTE@-2: 'blocks_' is modified under 'm_' here
  }
  // The queue of requests (a std::queue: an adapter is a container) is
  // walked without the lock its producers hold.
  void flush() {
    while (!requests_.empty()) { // CHECK-WARN: container 'requests_' is read without holding 'm_', which guards its other accesses
      // CHECK-WARN@+2: container 'requests_' is read without holding 'm_'
      // CHECK-NOTE@+1: hold 'm_' for this statement
      requests_.front().complete();
      // CHECK-FIX: { std::scoped_lock lock(m_); requests_.front().complete(); }
      // CHECK-WARN@+2: container 'requests_' is modified without holding 'm_'
      // CHECK-NOTE@+1: hold 'm_' for this statement
      requests_.pop();
      // CHECK-FIX: std::scoped_lock lock(m_); requests_.pop();
    }
  }
};

// Still reported: the callable is handed out of the object (run anywhere).
class Pipe {
  class Request {
    std::function<void()> f_;

  public:
    explicit Request(std::function<void()> f) : f_(std::move(f)) {}
    void complete() { f_(); }
    std::function<void()> callable() const { return f_; }
  };
  std::mutex m_;
  std::deque<int> blocks_;
  std::queue<Request> requests_;

public:
  void readLater(std::function<void(int)> done) {
    std::lock_guard<std::mutex> g(m_);
    requests_.push(Request([this, done] {
      done(blocks_.front()); // CHECK-WARN: container 'blocks_' is read without holding 'm_', which guards its other accesses
    }));
  }
  void write(int v) {
    std::lock_guard<std::mutex> g(m_);
    blocks_.push_back(v); // CHECK-NOTE: 'blocks_' is modified under 'm_' here
    while (!requests_.empty()) {
      requests_.front().complete();
      requests_.pop();
    }
  }
  std::function<void()> take() {
    std::lock_guard<std::mutex> g(m_);
    return requests_.front().callable();
  }
};

int main() {
  Buffer b;
  std::thread t([&] { b.write(1); });
  b.readLater([](int) {});
  b.readNow();
  t.join();
}
