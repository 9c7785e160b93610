// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++20
// Thread rule: a local container captured by reference into a thread entry
// and accessed by the spawner (or another thread) before the join.
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

int count_words() {
  std::map<std::string, int> counts;
  std::thread t([&counts] { counts["go"]++; }); // CHECK-NOTE: conflicting modification on another thread
  counts["cpp"]++; // CHECK-WARN: container 'counts' is modified without a lock while another thread modifies it
  t.join();
  return static_cast<int>(counts.size());
}

// The other side holds a mutex: the warning names it and the fix takes it.
void one_side_locked() {
  std::vector<int> v;
  std::mutex mu;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(mu);
    v.push_back(1); // CHECK-NOTE: conflicting modification on another thread under 'mu'
  });
  // CHECK-WARN@+2: container 'v' is modified without holding 'mu' while another thread modifies it
  // CHECK-NOTE@+1: hold 'mu' for this statement
  v.push_back(2);
  // CHECK-FIX: { std::scoped_lock lock(mu); v.push_back(2); }
  t.join();
}

// A read in the spawner races with a write in the thread.
std::size_t read_while_written() {
  std::vector<int> v;
  std::thread t([&v] { v.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
  std::size_t n = v.size(); // CHECK-WARN: container 'v' is read without a lock while another thread modifies it
  t.join();
  return n;
}

// Two threads write the same container.
void two_writers() {
  std::vector<int> v;
  std::thread a([&] { v.push_back(1); }); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  std::thread b([&] { v.push_back(2); }); // CHECK-NOTE: conflicting modification on another thread
  a.join();
  b.join();
}

// A thread started in a loop runs concurrently with itself.
void workers() {
  std::vector<int> results;
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    // CHECK-NOTE@+1: the thread is started in a loop and runs concurrently with itself
    pool.emplace_back([&results, i] { results.push_back(i); }); // CHECK-WARN: container 'results' is modified without a lock while another thread modifies it
  for (auto &t : pool)
    t.join();
}

// std::async: concurrent until the future is waited for.
int async_then_get() {
  std::map<int, int> m;
  auto f = std::async(std::launch::async, [&m] { m[1] = 1; }); // CHECK-NOTE: conflicting modification on another thread
  m.erase(2); // CHECK-WARN: container 'm' is modified without a lock while another thread modifies it
  f.get();
  return static_cast<int>(m.size());
}

// A jthread joins at the end of its scope.
void jthread_scope() {
  std::vector<int> v;
  {
    std::jthread t([&v] { v.push_back(1); }); // CHECK-NOTE: conflicting modification on another thread
    v.clear(); // CHECK-WARN: container 'v' is modified without a lock while another thread modifies it
  }
  v.push_back(3);
}

//===--- negative cases ---------------------------------------------------===//

void same_mutex() {
  std::map<std::string, int> counts;
  std::mutex mu;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(mu);
    counts["go"]++;
  });
  {
    std::lock_guard<std::mutex> lock(mu);
    counts["cpp"]++;
  }
  t.join();
}

void before_and_after() {
  std::vector<int> v;
  v.reserve(4);
  v.push_back(0);
  std::thread t([&v] { v.push_back(1); });
  t.join();
  v.push_back(2);
  v.clear();
}

std::size_t read_only() {
  std::vector<int> v{1, 2, 3};
  std::size_t a = 0;
  std::thread t([&] { a = v.size(); });
  std::size_t b = v.size();
  t.join();
  return a + b;
}

void distinct_indices() {
  std::vector<int> out(4);
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back([&out, i] { out[i] = i * i; });
  for (auto &t : pool)
    t.join();
}

void by_copy() {
  std::vector<int> v{1};
  std::thread t([v]() mutable { v.push_back(1); });
  v.push_back(2);
  t.join();
}

void atomic_and_thread_local() {
  std::atomic<int> n{0};
  std::thread t([&] { n++; });
  n++;
  t.join();
}

// A dropped std::async future waits at the end of the statement.
void discarded_async() {
  std::vector<int> v;
  std::async(std::launch::async, [&v] { v.push_back(1); });
  v.push_back(2);
}

// Joined in a loop before the next access.
void join_in_loop() {
  std::vector<int> results;
  for (int i = 0; i < 4; ++i) {
    std::thread t([&results, i] { results.push_back(i); });
    t.join();
  }
  results.clear();
}

// The thread reads under a mutex and the spawner reads too: read-only.
void shared_reads() {
  std::map<int, int> m{{1, 1}};
  std::mutex mu;
  std::thread t([&] {
    std::lock_guard<std::mutex> lock(mu);
    (void)m.find(1);
  });
  (void)m.count(1);
  t.join();
}
