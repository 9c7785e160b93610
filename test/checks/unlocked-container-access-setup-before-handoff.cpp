// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Member rule: an unlocked access that a function makes before it first
// hands `this` to another thread (a callable capturing `this`, or `this`
// itself, given to a function that may keep it, a task start), on every
// path and in every function on the way, is the object's set-up: no other
// thread can reach the object yet, whatever lock the object's callbacks
// hold later (round 12's cpp_redis: a client saves its settings, then opens
// the connection whose I/O thread reconnects under the lock that holds
// commands back). The same access after the hand-off, in a function that
// hands nothing off, or in a class whose constructor already handed `this`
// off, is still reported.
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

bool lookup(const std::string &name, std::string &host);
// The I/O thread calls back.
bool open_connection(const std::string &host, std::function<void()> on_disconnect);
void report(const std::string &host, int state);

class Client {
public:
  void connect(const std::string &name) {
    name_ = name;
    if (lookup(name_, host_))
      connect_host(host_);
  }
  void send(int cmd) {
    std::lock_guard<std::mutex> g(callbacks_mutex_);
    callbacks_.push_back(cmd);
  }

private:
  void connect_host(const std::string &host) {
    host_ = host;
    open_connection(host_, [this] { on_disconnect(); });
  }
  void on_disconnect() { // on the I/O thread, after a connection dropped
    std::lock_guard<std::mutex> g(callbacks_mutex_);
    for (int i = 0; i < 3; ++i) {
      if (!name_.empty() && !lookup(name_, host_)) {
        report(host_, 1);
        continue;
      }
      connect_host(host_);
      report(host_, 0);
    }
    callbacks_.clear();
  }
  std::mutex callbacks_mutex_;
  std::deque<int> callbacks_;
  std::string name_, host_;
};

// The handler bound with std::bind into a local, handed to another object's
// connect (cpp_redis's own shape): the settings saved before it are set-up.
class Connection {
public:
  void connect(const std::string &host, std::function<void(Connection &)> on_disconnect);
};

class BoundClient {
public:
  void connect(const std::string &host) {
    server_ = host;
    auto handler = std::bind(&BoundClient::on_disconnect, this, std::placeholders::_1);
    conn_.connect(host, handler);
  }
  void send(int cmd) {
    std::lock_guard<std::mutex> g(mutex_);
    queue_.push_back(cmd);
  }

private:
  void on_disconnect(Connection &) {
    std::lock_guard<std::mutex> g(mutex_);
    connect(server_);
    queue_.clear();
  }
  Connection conn_;
  std::mutex mutex_;
  std::deque<int> queue_;
  std::string server_;
};

void use(BoundClient &b) { b.connect("localhost"); }

// After the hand-off the I/O thread may be reconnecting: reported.
class LateClient {
public:
  void connect(const std::string &host) {
    host_ = host;
    open_connection(host_, [this] { on_disconnect(); });
    // CHECK-WARN@+2: container 'attempts_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    attempts_.push_back(0);
    // CHECK-FIX@-1: std::scoped_lock lock(mutex_); attempts_.push_back(0);
  }
  void send(int cmd) {
    std::lock_guard<std::mutex> g(mutex_);
    queue_.push_back(cmd);
  }

private:
  void on_disconnect() {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'attempts_' is modified under 'mutex_' here
    attempts_.push_back(1);
    open_connection(host_, [this] { on_disconnect(); });
    queue_.clear();
  }
  std::mutex mutex_;
  std::deque<int> queue_;
  std::vector<int> attempts_;
  std::string host_;
};

// A setter that hands nothing off can be called at any time, also while
// the I/O thread reconnects: reported.
class SetterClient {
public:
  void connect() {
    open_connection(host_, [this] { on_disconnect(); });
  }
  // CHECK-WARN@+2: container 'host_' is modified without holding 'mutex_', which guards its other accesses
  // CHECK-NOTE@+1: hold 'mutex_' for this statement
  void set_host(const std::string &h) { host_ = h; }
  // CHECK-FIX@-1: void set_host(const std::string &h) { std::scoped_lock lock(mutex_); host_ = h; }

private:
  void on_disconnect() {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'host_' is read under 'mutex_' here
    open_connection(host_, [this] { on_disconnect(); });
  }
  std::mutex mutex_;
  std::string host_;
};

// In a loop, the second iteration's write comes after the first hand-off.
class MultiClient {
public:
  void connect_all(const std::vector<std::string> &hosts) {
    for (const std::string &h : hosts) {
      // CHECK-WARN@+2: container 'hosts_' is modified without holding 'mutex_', which guards its other accesses
      // CHECK-NOTE@+1: hold 'mutex_' for this statement
      hosts_.push_back(h);
      // CHECK-FIX@-1: { std::scoped_lock lock(mutex_); hosts_.push_back(h); }
      open_connection(h, [this] { on_disconnect(); });
    }
  }

private:
  void on_disconnect() {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'hosts_' is modified under 'mutex_' here
    hosts_.pop_back();
  }
  std::mutex mutex_;
  std::vector<std::string> hosts_;
};

// The constructor started a thread on the object already: nothing the
// object's functions do comes before a hand-off.
class EarlyClient {
public:
  EarlyClient() : worker_([this] { run(); }) {}
  ~EarlyClient() { worker_.join(); }
  void connect(const std::string &host) {
    // CHECK-WARN@+2: container 'host_' is modified without holding 'mutex_', which guards its other accesses
    // CHECK-NOTE@+1: hold 'mutex_' for this statement
    host_ = host;
    // CHECK-FIX@-1: { std::scoped_lock lock(mutex_); host_ = host; }
    open_connection(host_, [this] { run(); });
  }

private:
  void run() {
    std::lock_guard<std::mutex> g(mutex_);
    // CHECK-NOTE@+1: 'host_' is read under 'mutex_' here
    report(host_, 0);
  }
  std::mutex mutex_;
  std::string host_;
  std::thread worker_;
};

// A function that takes the lock itself is written for an object others
// share, not the object's set-up: a pool's Get() that locks to add a loop's
// entry and hands `this` to each connection it makes, called again and
// again (round 12's evpp). Judged as before: most of the functions that
// touch the map do it without the lock, so it is confined, not guarded.
class Conn;
class Pool;
Conn *make_conn(Pool *pool, int loop);

class Pool {
public:
  Conn *get(int loop) {
    auto it = pool_.find(loop);
    if (it == pool_.end()) {
      std::lock_guard<std::mutex> g(mutex_);
      pool_[loop] = std::vector<Conn *>();
    }
    it = pool_.find(loop);
    if (it->second.empty())
      return make_conn(this, loop);
    Conn *c = it->second.back();
    it->second.pop_back();
    return c;
  }
  void put(int loop, Conn *c) {
    auto it = pool_.find(loop);
    it->second.push_back(c);
  }
  void clear() {
    if (pool_.empty())
      return;
    std::map<int, std::vector<Conn *>> taken;
    {
      std::lock_guard<std::mutex> g(mutex_);
      pool_.swap(taken);
    }
    pool_.clear();
  }

private:
  std::mutex mutex_;
  std::map<int, std::vector<Conn *>> pool_;
};

int main() {
  Client c;
  c.connect("mymaster");
  c.send(1);
}
