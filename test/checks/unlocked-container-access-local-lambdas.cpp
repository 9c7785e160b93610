// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// A lambda kept in a local variable and called through it runs in place:
// it is entered with the locks held at every call of the variable. A lambda
// whose variable goes anywhere else (copied into a std::function, passed to
// a function, captured by another lambda, returned) runs where nobody knows.
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

// 1. Called under the lock: not reported.
class Reg {
  std::mutex mu_;
  std::map<int, int> m_;

public:
  void add(int k) {
    std::lock_guard<std::mutex> g(mu_);
    m_[k] = 1; // CHECK-NOTE: 'm_' is modified under 'mu_' here
  }
  void drop(int k) {
    std::lock_guard<std::mutex> g(mu_);
    auto erase = [&]() { m_.erase(k); };
    erase();
  }
  void dropThis(int k) {
    auto erase = [this, k]() { m_.erase(k); }; // made before the lock
    std::lock_guard<std::mutex> g(mu_);
    erase();
    if (k > 1)
      erase();
  }
  // Still reported: one call of the variable without the lock.
  void dropTwice(int k) {
    auto erase = [&]() {
      m_.erase(k); // CHECK-WARN: container 'm_' is modified without holding 'mu_', which guards its other accesses
    };
    {
      std::lock_guard<std::mutex> g(mu_);
      erase();
    }
    erase();
  }
};

// 2. The lambda releases the caller's unique_lock after its accesses (a
// clean-up step): not reported; an access after its unlock() is.
class Writer {
  std::mutex mu_;
  std::unordered_map<int, std::deque<int>> queues_;
  std::vector<int> done_;

public:
  void add(int fd) {
    std::lock_guard<std::mutex> g(mu_);
    queues_.emplace(fd, std::deque<int>{});
    done_.push_back(fd); // CHECK-NOTE: 'done_' is modified under 'mu_' here
  }
  void close(int fd) {
    std::lock_guard<std::mutex> g(mu_);
    queues_.erase(fd);
    done_.clear();
  }
  void flush(int fd) {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = queues_.find(fd);
    if (it == queues_.end())
      return;
    auto cleanUp = [&]() {
      queues_.erase(fd);
      lock.unlock();
    };
    if (fd > 0)
      cleanUp();
  }
  void finish(int fd) {
    std::unique_lock<std::mutex> lock(mu_);
    auto cleanUp = [&]() {
      queues_.erase(fd);
      lock.unlock();
      done_.push_back(fd); // CHECK-WARN: container 'done_' is modified without holding 'mu_', which guards its other accesses
    };
    cleanUp();
  }
};

// 3. Still reported: the lambda's variable escapes, it may run anywhere.
class Jobs {
  std::mutex mu_;
  std::vector<int> jobs_;
  std::function<void()> later_;
  std::vector<std::function<void()>> pending_;

public:
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    jobs_.push_back(v); // CHECK-NOTE: 'jobs_' is modified under 'mu_' here
    // CHECK-NOTE@-1: 'jobs_' is modified under 'mu_' here
    // CHECK-NOTE@-2: 'jobs_' is modified under 'mu_' here
  }
  void keep() {
    std::lock_guard<std::mutex> g(mu_);
    auto clear = [this]() {
      jobs_.clear(); // CHECK-WARN: container 'jobs_' is modified without holding 'mu_', which guards its other accesses
    };
    clear();
    later_ = clear; // copied into a member
  }
  void queue() {
    std::lock_guard<std::mutex> g(mu_);
    auto pop = [this]() {
      jobs_.pop_back(); // CHECK-WARN: container 'jobs_' is modified without holding 'mu_', which guards its other accesses
    };
    pop();
    pending_.push_back(pop); // handed to a function
    // CHECK-NOTE@-1: 'pending_' is modified under 'mu_' here
  }
  void wrap() {
    std::lock_guard<std::mutex> g(mu_);
    auto push = [this]() {
      jobs_.push_back(0); // CHECK-WARN: container 'jobs_' is modified without holding 'mu_', which guards its other accesses
    };
    push();
    pending_.push_back([push] { push(); }); // captured by a stored lambda
  }
  void run() {
    for (auto &f : pending_) // CHECK-WARN: container 'pending_' is read without holding 'mu_', which guards its other accesses
      f();
    if (later_)
      later_();
  }
};

int main() {
  Reg r;
  r.add(1);
  r.drop(1);
  r.dropThis(1);
  r.dropTwice(1);
  Writer w;
  w.add(1);
  w.flush(1);
  w.finish(1);
  w.close(1);
  Jobs j;
  j.add(1);
  j.keep();
  j.queue();
  j.wrap();
  j.run();
}
