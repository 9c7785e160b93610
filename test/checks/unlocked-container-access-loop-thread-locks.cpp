// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// An event loop's connection: its buffers are the loop thread's alone (the
// code that touches them runs on the loop, or behind a test that it is
// running there: `if (loop_->isInLoopThread())`, the identity of the loop
// the object holds through a pointer member), and a mutex counts the sends
// other threads queue. A lock taken inside the loop-thread branch, around
// the count, also covers a buffer access there: that is no sign that the
// mutex guards the buffers, and the loop's unlocked accesses are not
// reported (trantor's TcpConnectionImpl::sendFile). A member that code off
// the loop thread also touches under the mutex, a test of another object's
// loop, and an access outside any test are still reported.
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

class Loop {
  std::thread::id threadId_ = std::this_thread::get_id();
  std::mutex mu_;
  std::vector<std::function<void()>> pending_;

public:
  bool isInLoopThread() const {
    return threadId_ == std::this_thread::get_id();
  }
  void queueInLoop(std::function<void()> f) {
    std::lock_guard<std::mutex> g(mu_);
    pending_.push_back(std::move(f));
  }
};

void startWriting();

// 1. trantor's connection: the locks in the loop-thread branch are the
// count's; the writable callback's accesses are the loop's own.
class Conn : public std::enable_shared_from_this<Conn> {
  Loop *loop_;
  std::mutex sendMu_;
  int sendNum_ = 0;
  std::list<int> buffers_;

  void sendInLoop(int v) {
    if (buffers_.empty())
      startWriting();
    buffers_.push_back(v);
  }

public:
  explicit Conn(Loop *l) : loop_(l) {}
  void onWritable() {
    if (buffers_.empty())
      return;
    buffers_.pop_front();
    if (buffers_.front() > 0)
      startWriting();
  }
  void send(int v) {
    if (loop_->isInLoopThread()) {
      std::lock_guard<std::mutex> g(sendMu_);
      if (sendNum_ == 0) {
        sendInLoop(v);
      } else {
        ++sendNum_;
        auto thisPtr = shared_from_this();
        loop_->queueInLoop([thisPtr, v] {
          thisPtr->sendInLoop(v);
          std::lock_guard<std::mutex> g1(thisPtr->sendMu_);
          --thisPtr->sendNum_;
        });
      }
    } else {
      std::lock_guard<std::mutex> g(sendMu_);
      ++sendNum_;
      auto thisPtr = shared_from_this();
      loop_->queueInLoop([thisPtr, v] {
        thisPtr->sendInLoop(v);
        std::lock_guard<std::mutex> g1(thisPtr->sendMu_);
        --thisPtr->sendNum_;
      });
    }
  }
  void sendFile(int v) {
    if (loop_->isInLoopThread()) {
      std::lock_guard<std::mutex> g(sendMu_);
      if (sendNum_ == 0) {
        buffers_.push_back(v);
        if (buffers_.size() == 1)
          startWriting();
      }
    }
  }
};

// 2. The same mutex also held around the member by code off the loop
// thread: a discipline, and the loop's unlocked accesses break it.
class Mixed {
  Loop *loop_;
  std::mutex mu_;
  std::list<int> items_;

public:
  explicit Mixed(Loop *l) : loop_(l) {}
  void addInLoop(int v) {
    if (loop_->isInLoopThread()) {
      std::lock_guard<std::mutex> g(mu_);
      items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
    }
  }
  void addAnywhere(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void addFromElsewhere(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_front(v);
  }
  void drop() {
    // CHECK-FIX: std::scoped_lock lock(mu_); items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@-1: hold 'mu_' for this statement
  }
};

// 3. Another object's loop confines nothing of this one: its lock is the
// member's discipline.
class Peer {
  Loop *loop_;
  std::mutex mu_;
  std::list<int> items_;

public:
  explicit Peer(Loop *l) : loop_(l) {}
  void addIfOnPeerLoop(Peer &other, int v) {
    if (other.loop_->isInLoopThread()) {
      std::lock_guard<std::mutex> g(mu_);
      items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'mu_' here
    }
  }
  void addIfOnOwnLoop(int v) {
    if (loop_->isInLoopThread()) {
      std::lock_guard<std::mutex> g(mu_);
      items_.push_back(v);
    }
  }
  void addLocked(int v) {
    std::lock_guard<std::mutex> g(mu_);
    items_.push_back(v);
  }
  void drop() {
    // CHECK-FIX: std::scoped_lock lock(mu_); items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    items_.pop_front(); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@-1: hold 'mu_' for this statement
  }
};
