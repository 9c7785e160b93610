// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// The stored-callable rule in a class template, as a producer-consumer
// buffer writes it: the request keeps a `const std::function &` it is
// constructed from, the buffer completes it under its lock at once or
// queues it for a helper its locked writers call (two helpers deep), and
// the lambda reads through helpers of its own (`readByte` -> `read` ->
// `updateHead`). An unrelated template that reads a data member of a
// dependent object with the same name as the request's member function
// (`state->complete`) calls nothing: the member stays confined to its calls.
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>

template <class T> struct Base {
  template <class F> void notify(F) {}
};

template <class T> struct ParseState {
  bool complete = false;
  T value{};
};

template <class T> bool accept(std::shared_ptr<ParseState<T>> state, T ch) {
  if (!state->complete)
    state->value = ch;
  return state->complete;
}

template <class T> class Buffer {
  class Request {
  public:
    typedef std::function<void()> func_type;
    Request(std::size_t count, const func_type &func)
        : m_func(func), m_count(count) {}
    void complete() { m_func(); }
    std::size_t size() const { return m_count; }

  private:
    func_type m_func;
    std::size_t m_count;
  };

  std::mutex m_lock;
  std::deque<T> m_blocks;
  std::queue<Request> m_requests;
  std::size_t m_total = 0;

  bool canSatisfy(std::size_t n) { return m_total >= n; }
  // Called with m_lock held.
  void updateHead(std::size_t n) {
    m_total -= n;
    while (!m_blocks.empty()) {
      if (m_blocks.front() > 0)
        break;
      m_blocks.pop_front();
    }
  }
  std::size_t read(T *out, std::size_t n, bool advance = true) {
    std::size_t got = 0;
    for (auto it = begin(m_blocks); it != std::end(m_blocks); ++it) {
      out[got++] = *it;
      if (got == n)
        break;
    }
    if (advance)
      updateHead(got);
    return got;
  }
  T readByte(bool advance) {
    T v{};
    this->read(&v, 1, advance);
    return v;
  }
  void fulfillOutstanding() {
    while (!m_requests.empty()) {
      auto req = m_requests.front();
      if (!canSatisfy(req.size()))
        return;
      req.complete();
      m_requests.pop();
    }
  }
  void updateWriteHead(std::size_t n) {
    m_total += n;
    fulfillOutstanding();
  }
  void enqueueRequest(Request req) {
    std::lock_guard<std::mutex> l(m_lock);
    if (canSatisfy(req.size()))
      req.complete();
    else
      m_requests.push(req);
  }

public:
  std::size_t getNow(T *out, std::size_t n) {
    std::lock_guard<std::mutex> l(m_lock);
    return canSatisfy(n) ? this->read(out, n) : 0;
  }
  void getLater(T *out, std::size_t n, std::function<void(std::size_t)> done) {
    enqueueRequest(
        Request(n, [this, out, n, done]() { done(this->read(out, n)); }));
  }
  void bumpLater(std::function<void(T)> done) {
    enqueueRequest(Request(1, [this, done]() { done(this->readByte(true)); }));
  }
  void write(T v) {
    std::lock_guard<std::mutex> l(m_lock);
    m_blocks.push_back(v);
    updateWriteHead(1);
  }
  void sync() {
    std::lock_guard<std::mutex> l(m_lock);
    fulfillOutstanding();
  }
};

// Still reported: the same template, with one member completing the queued
// requests without the lock.
template <class T> class Stream {
  class Request {
  public:
    typedef std::function<void()> func_type;
    Request(std::size_t count, const func_type &func)
        : m_func(func), m_count(count) {}
    void complete() { m_func(); }
    std::size_t size() const { return m_count; }

  private:
    func_type m_func;
    std::size_t m_count;
  };

  std::mutex m_lock;
  std::deque<T> m_blocks;
  std::queue<Request> m_requests;

  T read() {
    T v = m_blocks.front(); // CHECK-WARN: container 'm_blocks' is read without holding 'm_lock', which guards its other accesses
    m_blocks.pop_front(); // CHECK-WARN: container 'm_blocks' is modified without holding 'm_lock', which guards its other accesses
    return v;
  }
  // The queue of requests (an adapter is a container) is walked without
  // the lock by drain().
  void fulfillOutstanding() {
    while (!m_requests.empty()) { // CHECK-WARN: container 'm_requests' is read without holding 'm_lock', which guards its other accesses
      auto req = m_requests.front(); // CHECK-WARN: container 'm_requests' is read without holding 'm_lock', which guards its other accesses
      req.complete();
      m_requests.pop(); // CHECK-WARN: container 'm_requests' is modified without holding 'm_lock', which guards its other accesses
    }
  }
  void enqueueRequest(Request req) {
    std::lock_guard<std::mutex> l(m_lock);
    m_requests.push(req); // CHECK-NOTE: 'm_requests' is modified under 'm_lock' here
    // CHECK-NOTE@-1: 'm_requests' is modified under 'm_lock' here
    // CHECK-NOTE@-2: 'm_requests' is modified under 'm_lock' here
  }

public:
  T getNow() {
    std::lock_guard<std::mutex> l(m_lock);
    return read();
  }
  void getLater(std::function<void(T)> done) {
    enqueueRequest(Request(1, [this, done]() { done(this->read()); }));
  }
  void write(T v) {
    std::lock_guard<std::mutex> l(m_lock);
    m_blocks.push_back(v); // CHECK-NOTE: 'm_blocks' is modified under 'm_lock' here
    // CHECK-NOTE@-1: 'm_blocks' is modified under 'm_lock' here
    fulfillOutstanding();
  }
  void drain() { fulfillOutstanding(); }
};

// The same class template never instantiated, as its code is written: the
// construction of the request with a lambda is left unresolved (the one
// constructor of `Request` taking two arguments), and so are the member
// calls on objects of types not known yet (`req.complete()` on an `auto`
// request, `this->fulfillOutstanding()`): each is a place the member of that
// name may be invoked from, but a call on an object whose type names
// another class (`m_allocBlock->updateWriteHead(n)` on a
// `std::shared_ptr<Block>`).
template <class T> class PendingBuffer : public Base<T> {
  class Block {
  public:
    void updateWriteHead(std::size_t n) { m_pos += n; }
    std::size_t m_pos = 0;
  };
  class Request {
  public:
    typedef std::function<void()> func_type;
    Request(std::size_t count, const func_type &func)
        : m_func(func), m_count(count) {}
    void complete() { m_func(); }
    std::size_t size() const { return m_count; }

  private:
    func_type m_func;
    std::size_t m_count;
  };

  std::mutex m_lock;
  std::deque<T> m_blocks;
  std::queue<Request> m_requests;
  std::shared_ptr<Block> m_allocBlock;
  std::size_t m_total = 0;

  bool canSatisfy(std::size_t n) { return m_total >= n; }
  void updateHead(std::size_t n) {
    m_total -= n;
    while (!m_blocks.empty()) {
      if (m_blocks.front() > 0)
        break;
      m_blocks.pop_front();
    }
  }
  std::size_t read(T *out, std::size_t n) {
    std::size_t got = 0;
    for (auto it = begin(m_blocks); it != std::end(m_blocks); ++it)
      out[got++] = *it;
    updateHead(got);
    return got;
  }
  void fulfillOutstanding() {
    while (!m_requests.empty()) {
      auto req = m_requests.front();
      if (!canSatisfy(req.size()))
        return;
      req.complete();
      m_requests.pop();
    }
  }
  void updateWriteHead(std::size_t n) {
    m_total += n;
    fulfillOutstanding();
  }
  void enqueueRequest(Request req) {
    std::lock_guard<std::mutex> l(m_lock);
    if (canSatisfy(req.size()))
      req.complete();
    else
      m_requests.push(req);
  }

public:
  std::size_t getNow(T *out, std::size_t n) {
    std::lock_guard<std::mutex> l(m_lock);
    return this->read(out, n);
  }
  void getLater(T *out, std::size_t n, std::function<void(std::size_t)> done) {
    enqueueRequest(Request(n, [this, out, n, done]() {
      done(this->read(out, n));
      this->notify(done);
    }));
  }
  void commit(std::size_t n) {
    std::lock_guard<std::mutex> l(m_lock);
    m_allocBlock->updateWriteHead(n);
    updateWriteHead(n);
  }
  void write(T v) {
    std::lock_guard<std::mutex> l(m_lock);
    m_blocks.push_back(v);
    updateWriteHead(1);
  }
  void close() {
    std::lock_guard<std::mutex> l(m_lock);
    this->fulfillOutstanding();
  }
};

// Still reported, never instantiated: a member completes the queued
// requests without the lock. (Its request's member has another name: a
// dependent call on an object whose type is not known, `req.finish()` on an
// `auto`, may run every member of that name that a template writes.)
template <class T> class PendingStream : public Base<T> {
  class Request {
  public:
    typedef std::function<void()> func_type;
    Request(std::size_t count, const func_type &func)
        : m_func(func), m_count(count) {}
    void finish() { m_func(); }

  private:
    func_type m_func;
    std::size_t m_count;
  };

  std::mutex m_lock;
  std::deque<T> m_blocks;
  std::queue<Request> m_requests;

  // The queue of requests (an adapter is a container) is walked without
  // the lock by drain().
  void fulfillOutstanding() {
    while (!m_requests.empty()) { // CHECK-WARN: container 'm_requests' is read without holding 'm_lock', which guards its other accesses
      auto req = m_requests.front(); // CHECK-WARN: container 'm_requests' is read without holding 'm_lock', which guards its other accesses
      req.finish();
      m_requests.pop(); // CHECK-WARN: container 'm_requests' is modified without holding 'm_lock', which guards its other accesses
    }
  }

public:
  void getLater(std::function<void(T)> done) {
    std::lock_guard<std::mutex> l(m_lock);
    // CHECK-NOTE@+3: 'm_requests' is modified under 'm_lock' here
    // CHECK-NOTE@+2: 'm_requests' is modified under 'm_lock' here
    // CHECK-NOTE@+1: 'm_requests' is modified under 'm_lock' here
    m_requests.push(Request(1, [this, done]() {
      done(m_blocks.front()); // CHECK-WARN: container 'm_blocks' is read without holding 'm_lock', which guards its other accesses
      this->notify(done);
    }));
  }
  void write(T v) {
    std::lock_guard<std::mutex> l(m_lock);
    m_blocks.push_back(v); // CHECK-NOTE: 'm_blocks' is modified under 'm_lock' here
    this->fulfillOutstanding();
  }
  void drain() { this->fulfillOutstanding(); }
};

int main() {
  auto st = std::make_shared<ParseState<char>>();
  (void)st;
  Buffer<char> b;
  char c[4];
  std::thread t([&] { b.write('a'); });
  b.getLater(c, 1, [](std::size_t) {});
  b.bumpLater([](char) {});
  b.getNow(c, 1);
  b.sync();
  Stream<char> s;
  std::thread u([&] { s.write('a'); });
  s.getLater([](char) {});
  s.getNow();
  s.drain();
  t.join();
  u.join();
}
