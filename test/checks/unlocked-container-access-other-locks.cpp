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

// A lock held while a function sets up an object it has just made is no
// evidence of what guards that object's members (Poco's
// NetworkInterface::map(): a static function holding the class's static
// mutex while it fills a local, just-made interface through its pimpl,
// `intf = Iface(i); setParams("eth", intf.impl());`). No other code reaches
// the object yet; its accessors read the members without a lock.
class IfaceImpl {
public:
  void setName(const std::string &n) { name_ = n; }
  void setAlias(const std::string &n) { alias_ = n; }
  char initial() const { return name_.front(); }
  char aliasInitial() const { return alias_.front(); }

private:
  std::string name_;
  std::string alias_;
};

class Iface {
public:
  Iface() : impl_(new IfaceImpl) {}
  explicit Iface(int i) : impl_(new IfaceImpl), index_(i) {}
  Iface(const Iface &o) : impl_(o.impl_), index_(o.index_) {}
  Iface &operator=(const Iface &o) {
    impl_ = o.impl_;
    index_ = o.index_;
    return *this;
  }
  IfaceImpl &impl() { return *impl_; }
  static std::vector<Iface> list();

private:
  IfaceImpl *impl_;
  int index_ = 0;
  static std::mutex mutex_;
};

namespace {
void setParams(const std::string &n, IfaceImpl &impl) {
  impl.setName(n);
  impl.setAlias(n);
}
} // namespace

std::vector<Iface> Iface::list() {
  std::lock_guard<std::mutex> g(mutex_);
  std::vector<Iface> result;
  Iface intf;
  for (int i = 0; i < 3; ++i) {
    intf = Iface(i);
    setParams("eth", intf.impl());
    result.push_back(intf);
  }
  return result;
}

// Still reported: a member touched under its object's own mutex elsewhere
// and without it here, though a caller also sets it up fresh under another
// lock; and a member set up under a lock on an object others share (the
// lock is evidence there).
class Port {
public:
  void setName(const std::string &n) {
    std::lock_guard<std::mutex> g(m_);
    name_ = n; // CHECK-NOTE: 'name_' is modified under 'm_' here
  }
  void rename(const std::string &n) {
    std::lock_guard<std::mutex> g(m_);
    name_ = n;
  }
  // CHECK-WARN@+2: container 'name_' is read without holding 'm_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'm_' for this statement
  char initial() const { return name_.front(); }
  // CHECK-FIX: char initial() const { std::scoped_lock lock(m_); return name_.front(); }
  void setLabel(const std::string &n) { label_ = n; } // CHECK-NOTE: 'label_' is modified under 'registry_' here
  // CHECK-WARN@+2: container 'label_' is read without holding 'registry_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'registry_' for this statement
  char labelInitial() const { return label_.front(); }
  // CHECK-FIX: char labelInitial() const { std::scoped_lock lock(registry_); return label_.front(); }
  static void make();
  static void relabel();

private:
  mutable std::mutex m_;
  std::string name_;
  std::string label_;
  static std::mutex registry_;
  static Port shared_;
};

void Port::make() {
  std::lock_guard<std::mutex> g(registry_);
  Port p;
  p.setName("p");
  p.setLabel("p");
}

void Port::relabel() {
  std::lock_guard<std::mutex> g(registry_);
  shared_.setLabel("q");
}
