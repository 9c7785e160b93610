// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Member rule: a lock held at an access only because the access sits in a
// section that exists for another object is no evidence that the lock guards
// the container (round 11's quill): another object's lock, taken by that
// object's code around a callback it runs or an out-argument it fills, and
// the lock of the source a private copy is refreshed from.
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

class Registry {
public:
  template <class F> void forEach(F f) const {
    std::lock_guard<std::mutex> g(m_);
    for (const auto &n : names_)
      f(n);
  }
  void add(std::string n) {
    std::lock_guard<std::mutex> g(m_);
    names_.push_back(std::move(n));
  }
  void drainInto(std::vector<std::string> &out) {
    std::lock_guard<std::mutex> g(m_);
    for (const auto &n : names_)
      out.push_back(n);
    names_.clear();
  }

private:
  mutable std::mutex m_;
  std::vector<std::string> names_;
};

// The worker's own cache, filled in the callback of the registry's visitor,
// which holds the registry's lock while it calls back: not reported.
class Worker {
public:
  explicit Worker(Registry &r) : reg_(r) {}
  size_t poll() {
    reg_.forEach([this](const std::string &n) { cache_.push_back(&n); });
    size_t total = 0;
    for (const std::string *s : cache_)
      total += s->size();
    cache_.clear();
    return total;
  }

private:
  Registry &reg_;
  std::vector<const std::string *> cache_;
};

// An out-argument the registry fills under its own lock: not reported.
class Collector {
public:
  explicit Collector(Registry &r) : reg_(r) {}
  size_t collect() {
    reg_.drainInto(removed_);
    size_t n = removed_.size();
    removed_.clear();
    return n;
  }

private:
  Registry &reg_;
  std::vector<std::string> removed_;
};

// A private copy of a shared list, refreshed under the list's lock when a
// flag says it changed and read without it: not reported.
class Filters {
public:
  void add(int f) {
    std::lock_guard<std::mutex> g(m_);
    shared_.push_back(f);
    changed_.store(true);
  }
  bool pass(int v) {
    if (changed_.exchange(false)) {
      local_.clear();
      std::lock_guard<std::mutex> g(m_);
      for (int f : shared_)
        local_.push_back(f);
    }
    for (int f : local_)
      if (v == f)
        return false;
    return true;
  }

private:
  std::mutex m_;
  std::vector<int> shared_;
  std::vector<int> local_;
  std::atomic<bool> changed_{false};
};

// The same copy with a whole-container assignment: not reported.
class Snapshot {
public:
  void add(int f) {
    std::lock_guard<std::mutex> g(m_);
    shared_.push_back(f);
  }
  void refresh() {
    std::lock_guard<std::mutex> g(m_);
    local_ = shared_;
  }
  int sum() const {
    int n = 0;
    for (int v : local_)
      n += v;
    return n;
  }

private:
  std::mutex m_;
  std::vector<int> shared_;
  std::vector<int> local_;
};

// The textbook miss stays: a container touched under its own class's lock at
// most sites and without it in one callback.
class Tracker {
public:
  explicit Tracker(Registry &r) : reg_(r) {}
  void add(size_t v) {
    std::lock_guard<std::mutex> g(m_);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'm_' here
  }
  size_t count() {
    std::lock_guard<std::mutex> g(m_);
    return items_.size();
  }
  void absorb() {
    // CHECK-WARN@+1: container 'items_' is modified without holding 'm_', which guards its other accesses
    reg_.forEach([this](const std::string &n) { items_.push_back(n.size()); });
  }

private:
  Registry &reg_;
  std::mutex m_;
  std::vector<size_t> items_;
};

// A copy destination that is guarded by the lock anyway: its other accesses
// hold it for itself.
class Mirror {
public:
  void put(int v) {
    std::lock_guard<std::mutex> g(m_);
    dst_.push_back(v); // CHECK-NOTE: 'dst_' is modified under 'm_' here
  }
  void refresh() {
    std::lock_guard<std::mutex> g(m_);
    for (int x : src_)
      dst_.push_back(x);
  }
  void addSource(int v) {
    std::lock_guard<std::mutex> g(m_);
    src_.push_back(v);
  }
  // CHECK-WARN@+2: container 'dst_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() const { return dst_.front(); }
  // CHECK-FIX: int first() const { std::scoped_lock lock(m_); return dst_.front(); }

private:
  mutable std::mutex m_;
  std::vector<int> src_;
  std::vector<int> dst_;
};

// Another object's lock taken by the class's own code for its member: the
// function holds it itself, evidence as before.
struct Owner {
  std::mutex m;
};
class Child {
public:
  explicit Child(Owner &o) : owner_(o) {}
  void add(int v) {
    std::lock_guard<std::mutex> g(owner_.m);
    items_.push_back(v); // CHECK-NOTE: 'items_' is modified under 'm' here
  }
  void drop() {
    std::lock_guard<std::mutex> g(owner_.m);
    items_.clear();
  }
  int sum() const {
    int n = 0;
    // CHECK-WARN@+1: container 'items_' is read without holding 'm', which guards its other accesses
    for (int v : items_)
      n += v;
    return n;
  }

private:
  Owner &owner_;
  std::vector<int> items_;
};

// A copy from a parameter is no private copy of a shared list: the lock
// held while it is made guards the member.
class Loaded {
public:
  void load(const std::vector<int> &src) {
    std::lock_guard<std::mutex> g(m_);
    items_ = src; // CHECK-NOTE: 'items_' is modified under 'm_' here
  }
  void add(int v) {
    std::lock_guard<std::mutex> g(m_);
    items_.push_back(v);
  }
  // CHECK-WARN@+2: container 'items_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  int first() const { return items_.front(); }
  // CHECK-FIX: int first() const { std::scoped_lock lock(m_); return items_.front(); }

private:
  mutable std::mutex m_;
  std::vector<int> items_;
};
