// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Thread confinement by a thread-identity test: the event-loop idiom runs
// the code that touches an object's state only on the object's own thread
// (`if (isCurrentThread()) { ... } else { async(...re-post...); }`,
// `assert(inLoop())`, `if (!inLoop()) return;`). Two accesses confined to
// one object's owner thread, or one confined access and the owner thread
// itself (the thread a member of the object holds), do not overlap. The
// other arm, a test of another object's thread, an unconfined access and a
// comparison that is not with the running thread's id stay reported.
#include <cassert>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <pthread.h>
#include <set>
#include <thread>
#include <vector>

// 1. ZLToolKit's poller: the loop thread is a member; the test also holds
// before the loop thread exists (`!loop_ || ...`); the other arm re-posts
// the call to the loop.
class Poller {
  std::thread *loop_ = nullptr;
  std::mutex mu_;
  std::vector<std::function<void()>> tasks_;
  std::map<int, int> events_;
  std::set<int> expired_;
  bool stop_ = false;

  bool isCurrentThread() const {
    return !loop_ || loop_->get_id() == std::this_thread::get_id();
  }
  void async(std::function<void()> f) {
    std::lock_guard<std::mutex> g(mu_);
    tasks_.push_back(std::move(f));
  }
  void runLoop() {
    while (!stop_) {
      std::vector<std::function<void()>> run;
      {
        std::lock_guard<std::mutex> g(mu_);
        run.swap(tasks_);
      }
      for (auto &f : run)
        f();
      // The loop reads the map: the two unconfined writes below race with it.
      // CHECK-NOTE@+1: conflicting read on another thread
      for (auto &e : events_) // CHECK-NOTE: conflicting read on another thread
        (void)e;
      delEvent(0);
    }
  }

public:
  void addEvent(int fd) {
    if (isCurrentThread()) {
      events_.emplace(fd, 0);
      return;
    }
    async([this, fd] { addEvent(fd); });
  }
  void delEvent(int fd) {
    if (isCurrentThread()) {
      if (events_.erase(fd))
        expired_.insert(fd);
    } else {
      async([this, fd] { delEvent(fd); });
    }
  }
  // The loop thread itself against the confined accesses that follow.
  void start() {
    loop_ = new std::thread(&Poller::runLoop, this);
    addEvent(1);
    delEvent(2);
  }
  // The other arm: a modification on whatever thread calls it.
  void addAnywhere(int fd) {
    if (isCurrentThread())
      return;
    events_.emplace(fd, 1); // CHECK-WARN: container 'events_' is modified without a lock while another thread reads it
  }
  void startThenAddAnywhere() {
    loop_ = new std::thread(&Poller::runLoop, this);
    addAnywhere(3);
  }
  // No test: the access races with the loop thread.
  // CHECK-WARN@+1: container 'events_' is modified without a lock while another thread reads it
  void addUnchecked(int fd) { events_.emplace(fd, 2); }
  void startThenAdd() {
    loop_ = new std::thread(&Poller::runLoop, this);
    addUnchecked(4);
  }
};

// 2. A stored thread id, a predicate member, the assert and early-return
// forms; two threads calling the confined member.
class IdLoop {
  std::thread::id owner_;
  std::map<int, int> items_;

public:
  bool inLoop() const { return owner_ == std::this_thread::get_id(); }
  bool isOwner(std::thread::id t) const { return owner_ == t; }
  void add(int k) {
    if (inLoop())
      items_.emplace(k, 0);
  }
  void addAsserted(int k) {
    assert(inLoop());
    items_.emplace(k, 1);
  }
  void addOrReturn(int k) {
    if (!inLoop())
      return;
    items_.erase(k);
  }
  void addOrAbort(int k) {
    if (owner_ != std::this_thread::get_id())
      std::abort();
    items_[k] = 2;
  }
  // The false arm.
  void addElsewhere(int k) {
    if (inLoop())
      return;
    items_.emplace(k, 3); // CHECK-WARN: container 'items_' is modified without a lock while another thread modifies it
  }
  // Another object's thread.
  void addIfOwnerOf(IdLoop &other, int k) {
    if (other.inLoop())
      items_.emplace(k, 4); // CHECK-WARN: container 'items_' is modified without a lock while another thread modifies it
  }
  // Not the running thread's id.
  void addIfSame(std::thread::id t, int k) {
    if (isOwner(t))
      items_.emplace(k, 5); // CHECK-WARN: container 'items_' is modified without a lock while another thread modifies it
  }
};

void confinedCallers(IdLoop &p) {
  std::thread a([&p] {
    p.add(1);
    p.addAsserted(2);
  });
  p.addOrReturn(3);
  p.addOrAbort(4);
  a.join();
}

void otherArm(IdLoop &p) {
  std::thread a([&p] { p.addElsewhere(1); }); // CHECK-NOTE: conflicting modification on another thread
  p.addElsewhere(2);
  a.join();
}

void otherObject(IdLoop &p, IdLoop &q) {
  std::thread a([&p, &q] { p.addIfOwnerOf(q, 1); }); // CHECK-NOTE: conflicting modification on another thread
  p.addIfOwnerOf(q, 2);
  a.join();
}

void notCurrent(IdLoop &p, std::thread::id t) {
  std::thread a([&p, t] { p.addIfSame(t, 1); }); // CHECK-NOTE: conflicting modification on another thread
  p.addIfSame(t, 2);
  a.join();
}

// 3. pthread_equal and a cached thread-local tid behind a helper.
thread_local int t_cachedTid = 0;
int currentTid() {
  if (t_cachedTid == 0)
    t_cachedTid = 7;
  return t_cachedTid;
}

class CLoop {
  pthread_t owner_;
  int tid_ = 0;
  std::vector<int> queue_;

public:
  void pushOwned(int v) {
    if (pthread_equal(owner_, pthread_self()))
      queue_.push_back(v);
  }
  void pushByTid(int v) {
    if (tid_ == currentTid())
      queue_.push_back(v);
  }
};

void cCallers(CLoop &c) {
  std::thread a([&c] { c.pushOwned(1); });
  c.pushOwned(2);
  a.join();
  std::thread b([&c] { c.pushByTid(1); });
  c.pushByTid(2);
  b.join();
}
