// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Thread rule for globals and statics: accessed from a function reachable
// from a thread entry, and from code that runs concurrently with it.
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

std::map<std::string, int> g_registry;
std::mutex g_mu;

static void record(const std::string &name) {
  g_registry[name]++; // CHECK-NOTE: conflicting modification on another thread
}

static void worker() { record("worker"); }

int run_registry() {
  std::thread t(worker);
  // CHECK-WARN@+1: container 'g_registry' is modified without a lock while another thread modifies it
  g_registry["main"] = 1;
  t.join();
  return static_cast<int>(g_registry.size());
}

namespace stats {
std::vector<int> samples;
void add(int v) {
  samples.push_back(v); // CHECK-WARN: container 'samples' is modified without a lock while another thread modifies it
}
} // namespace stats

void sample_all() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    // CHECK-NOTE@+1: the thread is started in a loop and runs concurrently with itself
    pool.emplace_back([i] { stats::add(i); });
  for (auto &t : pool)
    t.join();
}

// Locked on one side only: the warning names the lock and the fix takes it.
std::vector<std::string> g_log;
void log_locked(const std::string &s) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_log.push_back(s); // CHECK-NOTE: conflicting modification on another thread under 'g_mu'
}
void log_both() {
  std::thread t([] { log_locked("thread"); });
  // CHECK-WARN@+2: container 'g_log' is modified without holding 'g_mu' while another thread modifies it
  // CHECK-NOTE@+1: hold 'g_mu' for this statement
  g_log.push_back("main");
  // CHECK-FIX: { std::scoped_lock lock(g_mu); g_log.push_back("main"); }
  t.join();
}

//===--- negative cases ---------------------------------------------------===//

std::vector<int> g_locked;
void push_locked(int v) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_locked.push_back(v);
}
void locked_everywhere() {
  std::thread t([] { push_locked(1); });
  push_locked(2);
  {
    std::scoped_lock lock(g_mu);
    g_locked.clear();
  }
  t.join();
}

thread_local std::vector<int> tl_buffer;
void thread_local_ok() {
  std::thread t([] { tl_buffer.push_back(1); });
  tl_buffer.push_back(2);
  t.join();
}

// A container member of a thread_local object, reached through the
// object's member functions (doctest's per-thread stream stack): each
// thread has its own object.
class TlStack {
  std::vector<long> stack_;

public:
  void push(long v) { stack_.push_back(v); }
  long pop() {
    long v = stack_.back();
    stack_.pop_back();
    return v;
  }
};
thread_local TlStack tl_stack;
long tl_work() {
  tl_stack.push(1);
  return tl_stack.pop();
}
void thread_local_object_ok() {
  std::thread t([] { tl_work(); });
  tl_work();
  t.join();
}

// A plain global object of such a class is shared.
class PlainStack {
  std::vector<long> stack_;

public:
  // CHECK-WARN@+1: container 'stack_' is modified without a lock while another thread modifies it
  void push(long v) { stack_.push_back(v); }
};
PlainStack g_stack;
void shared_object() {
  // CHECK-NOTE@+1: conflicting modification on another thread
  std::thread t([] { g_stack.push(1); });
  g_stack.push(2);
  t.join();
}

const std::map<int, int> kTable{{1, 2}};
int const_table() {
  int r = 0;
  std::thread t([&r] { r = kTable.at(1); });
  int s = kTable.at(1);
  t.join();
  return r + s;
}

std::vector<int> g_config;
void setup_then_run() {
  g_config.push_back(1);
  std::thread t([] { (void)g_config.size(); });
  t.join();
  g_config.clear();
}
