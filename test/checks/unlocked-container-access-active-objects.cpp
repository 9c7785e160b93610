// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Active objects: a class with one thread member, started once on a member
// function whose loop takes callables from a queue member and calls them,
// runs what is sent to it one after another, as a strand does. Two tasks
// sent to one active object do not race; tasks sent to two, or to a pool
// whose several threads run the same loop, and a poster's own access while
// its task may run, are still reported.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

template <class T> class SharedQueue {
  std::queue<T> q_;
  std::mutex m_;
  std::condition_variable cv_;

public:
  void push(T v) {
    {
      std::lock_guard<std::mutex> g(m_);
      q_.push(std::move(v));
    }
    cv_.notify_one();
  }
  T pop() {
    std::unique_lock<std::mutex> g(m_);
    cv_.wait(g, [this] { return !q_.empty(); });
    T v = std::move(q_.front());
    q_.pop();
    return v;
  }
};

class Active {
public:
  Active() : thd_([this] { run(); }) {}
  ~Active() {
    send([this] { done_ = true; });
    thd_.join();
  }
  void send(std::function<void()> f) { mq_.push(std::move(f)); }

private:
  void run() {
    while (!done_) {
      std::function<void()> f = mq_.pop();
      f();
    }
  }
  SharedQueue<std::function<void()>> mq_;
  bool done_ = false;
  std::thread thd_;
};

class Pool {
public:
  Pool() {
    for (int i = 0; i < 4; ++i)
      thds_.emplace_back([this] { run(); });
  }
  void send(std::function<void()> f) { mq_.push(std::move(f)); }

private:
  void run() {
    for (;;) {
      std::function<void()> f = mq_.pop();
      f();
    }
  }
  SharedQueue<std::function<void()>> mq_;
  std::vector<std::thread> thds_;
};

//===--- negative cases ---------------------------------------------------===//

class Logger {
  std::unique_ptr<Active> bg_ = std::make_unique<Active>();
  std::vector<int> sinks_;

public:
  void addTwice() {
    bg_->send([this] { sinks_.push_back(1); });
    bg_->send([this] { sinks_.clear(); });
  }
};

//===--- positive cases ---------------------------------------------------===//

class Twin {
  std::unique_ptr<Active> a_ = std::make_unique<Active>();
  std::unique_ptr<Active> b_ = std::make_unique<Active>();
  std::vector<int> shared_;

public:
  void both() {
    a_->send([this] { shared_.push_back(1); }); // CHECK-WARN: container 'shared_' is modified without a lock while another thread modifies it
    b_->send([this] { shared_.clear(); }); // CHECK-NOTE: conflicting modification on another thread
  }
};

class Poster {
  std::unique_ptr<Active> bg_ = std::make_unique<Active>();
  std::vector<int> pending_;

public:
  size_t post() {
    bg_->send([this] { pending_.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
    return pending_.size(); // CHECK-WARN: container 'pending_' is read without a lock while another thread modifies it
  }
};

class Jobs {
  Pool pool_;
  std::vector<int> jobs_;

public:
  void two() {
    pool_.send([this] { jobs_.push_back(1); }); // CHECK-WARN: container 'jobs_' is modified without a lock while another thread modifies it
    pool_.send([this] { jobs_.push_back(2); }); // CHECK-NOTE: conflicting modification on another thread
  }
};
