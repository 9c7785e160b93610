// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A container handed by reference, together with the mutex that guards it,
// to a callee that locks that mutex parameter around its accesses: binding
// the reference is no access, and the callee's accesses are made under the
// mutex handed with it. The callee's accesses and locks on its parameters
// are mapped onto the caller's arguments, whether it is a function or a
// lambda called through a variable (cppkafka's BufferedProducer::flush).
#include <deque>
#include <mutex>
#include <string>

void produce(const std::string &m);

// 1. A local lambda (and a static helper) locking the mutex handed with the
// queue: not reported.
class Producer {
public:
  void add(const std::string &m) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(m);
  }
  void add_retry(const std::string &m) {
    std::lock_guard<std::mutex> lock(retry_mutex_);
    retry_messages_.push_back(m);
  }
  void flush() {
    auto flusher = [this](std::deque<std::string> &queue, std::mutex &mutex) {
      std::deque<std::string> flush_queue;
      swap_queues(queue, flush_queue, mutex);
      while (!flush_queue.empty()) {
        produce(flush_queue.front());
        flush_queue.pop_front();
      }
    };
    flusher(retry_messages_, retry_mutex_);
    flusher(messages_, mutex_);
  }
  void clear() {
    std::deque<std::string> tmp;
    swap_queues(messages_, tmp, mutex_);
  }

private:
  static void swap_queues(std::deque<std::string> &q1,
                          std::deque<std::string> &q2, std::mutex &mutex) {
    std::lock_guard<std::mutex> lock(mutex);
    std::swap(q1, q2);
  }
  std::deque<std::string> messages_, retry_messages_;
  std::mutex mutex_, retry_mutex_;
};

// 2. The lambda locks the mutex parameter itself, and a generic lambda does
// the same: not reported.
class Buffer {
public:
  void push(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v);
  }
  void pushOther(int v) {
    std::lock_guard<std::mutex> lock(otherMu_);
    other_.push_back(v);
  }
  int drain() {
    auto take = [](std::deque<int> &q, std::mutex &m) {
      std::lock_guard<std::mutex> lock(m);
      int n = static_cast<int>(q.size());
      q.clear();
      return n;
    };
    auto takeAny = [](auto &q, auto &m) {
      std::lock_guard<std::mutex> lock(m);
      q.clear();
    };
    takeAny(other_, otherMu_);
    return take(items_, mu_) + take(other_, otherMu_);
  }

private:
  std::deque<int> items_, other_;
  std::mutex mu_, otherMu_;
};

// 3. Still reported: the queue handed with another mutex than the one that
// guards it elsewhere.
class Mixed {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(v); // CHECK-NOTE: 'q_' is modified under 'mu_' here
  }
  void addAgain(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(v);
  }
  void flush() {
    auto take = [](std::deque<int> &q, std::mutex &m) {
      std::lock_guard<std::mutex> lock(m);
      q.clear(); // CHECK-WARN: container 'q_' is modified without holding 'mu_', which guards its other accesses
    };
    take(q_, other_);
  }

private:
  std::deque<int> q_;
  std::mutex mu_, other_;
};

// 4. Still reported: the lambda touches the queue before it locks the mutex
// handed with it.
class Early {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(v); // CHECK-NOTE: 'q_' is modified under 'mu_' here
  }
  void addAgain(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(v);
  }
  void flush() {
    auto take = [](std::deque<int> &q, std::mutex &m) {
      q.push_back(0); // CHECK-WARN: container 'q_' is modified without holding 'mu_', which guards its other accesses
      std::lock_guard<std::mutex> lock(m);
      q.clear();
    };
    take(q_, mu_);
  }

private:
  std::deque<int> q_;
  std::mutex mu_;
};

// 5. Still reported: a lambda given the queue alone, which it modifies
// without a lock.
class Alone {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(v); // CHECK-NOTE: 'q_' is modified under 'mu_' here
  }
  void addAgain(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    q_.push_back(v);
  }
  void flush() {
    auto take = [](std::deque<int> &q) {
      q.clear(); // CHECK-WARN: container 'q_' is modified without holding 'mu_', which guards its other accesses
    };
    take(q_);
  }

private:
  std::deque<int> q_;
  std::mutex mu_;
};
