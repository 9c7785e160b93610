// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// The locks a non-public virtual member is entered with: its body runs from
// the calls that name it or a method it overrides (virtual dispatch, and
// qualified calls `Base::f()`), all in the class hierarchy's own code. When
// every such call of the translation unit holds the lock (as the callee
// names it), the member is entered with it; an override is entered with
// what the calls through its base hold.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

// 1. A protected virtual helper called only under the lock (write) or the
// reader lock (read): not reported.
class Policy {
public:
  virtual ~Policy() = default;
  void add(const std::string &a) {
    std::unique_lock<std::shared_mutex> g(mu_);
    addLocked(a);
  }
  bool pick(std::string *out) {
    std::shared_lock<std::shared_mutex> g(mu_);
    if (servers_.empty())
      return false;
    *out = first();
    if (out->empty())
      *out = another(); // which calls first() again
    return true;
  }
  void remove(const std::string &a) {
    std::unique_lock<std::shared_mutex> g(mu_);
    removeLocked(a);
  }

protected:
  virtual void addLocked(const std::string &a) {
    servers_.push_back(a);
    byName_[a] = servers_.size();
  }
  virtual std::string first() { return servers_[0]; }
  virtual std::string another() { return first(); }
  std::shared_mutex mu_;
  std::vector<std::string> servers_;

private:
  // Private virtual: overridable, called only by this class.
  virtual void removeLocked(const std::string &a) {
    byName_.erase(a);
    servers_.clear();
  }
  std::map<std::string, size_t> byName_;
};

// An override is entered with what the calls through the base hold, and a
// qualified call of the base's member from it holds what the override is
// entered with.
class WeightedPolicy : public Policy {
  std::vector<int> weights_;

protected:
  void addLocked(const std::string &a) override {
    weights_.push_back(1);
    Policy::addLocked(a);
  }
  std::string first() override { return servers_.back(); }

public:
  void reweigh() {
    std::unique_lock<std::shared_mutex> g(mu_);
    weights_.clear();
  }
};

// A public override of a protected virtual: the calls through the base
// hold the lock, and no call names the override itself without it.
class ManualPolicy : public Policy {
public:
  std::string first() override { return servers_.front(); }
};

// 2. Still reported: one call of the protected virtual without the lock.
class Registry {
public:
  virtual ~Registry() = default;
  void add(int v) {
    std::lock_guard<std::mutex> g(mu_);
    addLocked(v);
  }
  void addFast(int v) { addLocked(v); }
  void clear() {
    std::lock_guard<std::mutex> g(mu_);
    items_.clear(); // CHECK-NOTE: 'items_' is modified under 'mu_' here
  }

protected:
  virtual void addLocked(int v) {
    items_.push_back(v); // CHECK-WARN: container 'items_' is modified without holding 'mu_', which guards its other accesses
  }
  std::mutex mu_;
  std::vector<int> items_;
};

// Still reported: a derived class calling the protected helper without the
// lock.
class Table {
public:
  virtual ~Table() = default;
  void put(int v) {
    std::lock_guard<std::mutex> g(mu_);
    putLocked(v);
  }
  void reset() {
    std::lock_guard<std::mutex> g(mu_);
    rows_.clear(); // CHECK-NOTE: 'rows_' is modified under 'mu_' here
  }

protected:
  virtual void putLocked(int v) {
    rows_.push_back(v); // CHECK-WARN: container 'rows_' is modified without holding 'mu_', which guards its other accesses
  }
  std::mutex mu_;
  std::vector<int> rows_;
};
class FastTable : public Table {
public:
  void putMany(int a, int b) {
    putLocked(a);
    putLocked(b);
  }
};

// Still reported: an override called directly without the lock, while the
// calls through the base hold it.
class Sink {
public:
  virtual ~Sink() = default;
  void write(int v) {
    std::lock_guard<std::mutex> g(mu_);
    writeLocked(v);
  }
  void flush() {
    std::lock_guard<std::mutex> g(mu_);
    lines_.clear(); // CHECK-NOTE: 'lines_' is modified under 'mu_' here
  }

protected:
  virtual void writeLocked(int v) { lines_.push_back(v); }
  std::mutex mu_;
  std::vector<int> lines_;
};
class FileSink : public Sink {
public:
  // Public: judged by its calls here, one of which holds no lock.
  void writeLocked(int v) override {
    lines_.push_back(v + 1); // CHECK-WARN: container 'lines_' is modified without holding 'mu_', which guards its other accesses
    // CHECK-NOTE@-1: hold 'mu_' for this statement
    // CHECK-FIX: std::scoped_lock lock(mu_); lines_.push_back(v + 1);
  }

public:
  void writeNow(int v) { writeLocked(v); }
};

// Still reported: the protected virtual's address is taken (it may be
// invoked through the pointer from anywhere).
class Timer {
public:
  virtual ~Timer() = default;
  void tick() {
    std::lock_guard<std::mutex> g(mu_);
    onTick();
  }
  void stop() {
    std::lock_guard<std::mutex> g(mu_);
    events_.clear(); // CHECK-NOTE: 'events_' is modified under 'mu_' here
  }
  void (Timer::*handler())() { return &Timer::onTick; }

protected:
  virtual void onTick() {
    events_.push_back(1); // CHECK-WARN: container 'events_' is modified without holding 'mu_', which guards its other accesses
  }
  std::mutex mu_;
  std::vector<int> events_;
};

// Still reported: a protected override of a public virtual (calls through
// the public base come from anywhere).
class Handler {
public:
  virtual ~Handler() = default;
  virtual void handle(int v) = 0;
};
class QueueHandler : public Handler {
public:
  void post(int v) {
    std::lock_guard<std::mutex> g(mu_);
    handle(v);
  }
  void drain() {
    std::lock_guard<std::mutex> g(mu_);
    queue_.clear(); // CHECK-NOTE: 'queue_' is modified under 'mu_' here
  }

protected:
  void handle(int v) override {
    queue_.push_back(v); // CHECK-WARN: container 'queue_' is modified without holding 'mu_', which guards its other accesses
  }

private:
  std::mutex mu_;
  std::vector<int> queue_;
};

int main() {
  WeightedPolicy p;
  p.add("a");
  std::string s;
  p.pick(&s);
  ManualPolicy mp;
  mp.add("b");
  mp.pick(&s);
  p.remove("a");
  p.reweigh();
  Registry r;
  r.add(1);
  r.addFast(2);
  r.clear();
  FastTable t;
  t.put(1);
  t.putMany(1, 2);
  t.reset();
  FileSink f;
  f.write(1);
  f.writeNow(2);
  f.writeLocked(3);
  f.flush();
  Timer tm;
  tm.tick();
  tm.stop();
  QueueHandler q;
  q.post(1);
  q.drain();
}
