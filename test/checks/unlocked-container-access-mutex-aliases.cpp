// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// One mutex under two names: a local or a by-copy capture holding a pointer
// (raw or smart) whose value is a member's pointer to the mutex, or the
// member mutex's address, names that mutex. The value is followed through
// copies, `std::move`, a `std::weak_ptr` built from the member and its
// `lock()`, `get()` and `&`, as long as no variable on the way is assigned
// again. A pointer to a fresh mutex, to another class's mutex, or a
// weak_ptr reassigned before the lock names another mutex: still reported.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

// rest_rpc's server: the quit callback locks the mutex through a weak_ptr
// it captured by copy.
class WeakLock {
public:
  void add(int id) {
    std::weak_ptr<std::mutex> weak(mtx_);
    std::function<void()> onQuit = [this, weak, id] {
      if (auto m = weak.lock()) {
        std::scoped_lock lock(*m);
        if (!conns_.empty())
          conns_.erase(id);
      }
    };
    {
      std::scoped_lock lock(*mtx_);
      conns_.emplace(id, 1);
    }
    std::thread(onQuit).detach();
  }
  ~WeakLock() {
    std::scoped_lock lock(*mtx_);
    conns_.clear();
  }

private:
  std::map<int, int> conns_;
  std::shared_ptr<std::mutex> mtx_ = std::make_shared<std::mutex>();
};

// A copy of the member's shared_ptr, moved into an init-capture.
class CopiedPointer {
public:
  void add(int id) {
    auto copy = mtx_;
    std::thread([this, m = std::move(copy), id] {
      std::lock_guard<std::mutex> g(*m);
      conns_.erase(id);
    }).detach();
    std::lock_guard<std::mutex> g(*mtx_);
    conns_.emplace(id, 1);
  }

private:
  std::map<int, int> conns_;
  std::shared_ptr<std::mutex> mtx_ = std::make_shared<std::mutex>();
};

// A raw pointer to a member mutex, by `&` and by get().
class RawPointer {
public:
  void add(int id) {
    std::thread([this, id] {
      std::mutex *m = &mu_;
      m->lock();
      conns_.erase(id);
      m->unlock();
    }).detach();
    std::lock_guard<std::mutex> g(mu_);
    conns_.emplace(id, 1);
  }
  void drop(int id) {
    std::mutex *m = shared_.get();
    std::lock_guard<std::mutex> g(*m);
    more_.erase(id);
  }
  void put(int id) {
    std::thread([this, id] {
      std::lock_guard<std::mutex> g(*shared_);
      more_.emplace(id, 1);
    }).detach();
  }

private:
  std::map<int, int> conns_, more_;
  std::mutex mu_;
  std::shared_ptr<std::mutex> shared_ = std::make_shared<std::mutex>();
};

// Reported: a fresh mutex of each call guards nothing another thread holds.
class FreshMutex {
public:
  void add(int id) {
    std::thread([this, id] {
      auto m = std::make_shared<std::mutex>();
      std::lock_guard<std::mutex> g(*m);
      conns_.erase(id); // CHECK-WARN: container 'conns_' is modified without holding 'mtx_', which guards its other accesses
    }).detach();
    std::lock_guard<std::mutex> g(*mtx_);
    conns_.emplace(id, 1); // CHECK-NOTE: 'conns_' is modified under 'mtx_' here
  }

private:
  std::map<int, int> conns_;
  std::shared_ptr<std::mutex> mtx_ = std::make_shared<std::mutex>();
};

// Reported: the pointer comes from another class's member.
struct Registry {
  std::shared_ptr<std::mutex> lock_ = std::make_shared<std::mutex>();
};
Registry registry;

class OtherObject {
public:
  void add(int id) {
    std::thread([this, id] {
      std::weak_ptr<std::mutex> weak(registry.lock_);
      if (auto m = weak.lock()) {
        std::lock_guard<std::mutex> g(*m);
        conns_.erase(id); // CHECK-WARN: container 'conns_' is modified without holding 'mtx_', which guards its other accesses
      }
    }).detach();
    std::lock_guard<std::mutex> g(*mtx_);
    conns_.emplace(id, 1); // CHECK-NOTE: 'conns_' is modified under 'mtx_' here
  }

private:
  std::map<int, int> conns_;
  std::shared_ptr<std::mutex> mtx_ = std::make_shared<std::mutex>();
};

// Reported: the weak_ptr is pointed at another mutex before the lock.
class Reassigned {
public:
  void add(int id) {
    std::weak_ptr<std::mutex> weak(mtx_);
    weak = other_;
    std::thread([this, weak, id] {
      if (auto m = weak.lock()) {
        std::lock_guard<std::mutex> g(*m);
        conns_.erase(id); // CHECK-WARN: container 'conns_' is modified without holding 'mtx_', which guards its other accesses
      }
    }).detach();
    std::lock_guard<std::mutex> g(*mtx_);
    conns_.emplace(id, 1); // CHECK-NOTE: 'conns_' is modified under 'mtx_' here
  }

private:
  std::map<int, int> conns_;
  std::shared_ptr<std::mutex> mtx_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::mutex> other_ = std::make_shared<std::mutex>();
};
