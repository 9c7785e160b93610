// Unlocked status queries (`size()`, `empty()` getters) are reported here:
// ReportUnlockedEmptinessChecks on (unlocked-container-access-emptiness.cpp
// has the default).
// RUN: %check_tidy %s pitfall-unlocked-container-access -config="{CheckOptions: {pitfall-unlocked-container-access.ReportUnlockedEmptinessChecks: true}}" -- -std=c++20
// The shapes of the true positives found on real code (docs/evaluation.md),
// kept as regression tests: libcoro's thread_pool::queue_size() and asio's
// pipeline example (thread_bag::shutdown()).
#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <deque>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

class thread_pool {
public:
  thread_pool() {
    for (int i = 0; i < 4; ++i)
      m_threads.emplace_back([this](std::stop_token st) { executor(st); });
  }
  std::size_t queue_size() const noexcept {
    std::atomic_thread_fence(std::memory_order::acquire);
    // CHECK-WARN@+2: container 'm_queue' is read without holding 'm_wait_mutex', which guards its other accesses
    // CHECK-NOTE@+1: hold 'm_wait_mutex' for this statement
    return m_queue.size();
    // CHECK-FIX: std::scoped_lock lock(m_wait_mutex); return m_queue.size();
  }
  void schedule_impl(std::coroutine_handle<> h) {
    {
      std::scoped_lock lk{m_wait_mutex};
      m_queue.emplace_back(h); // CHECK-NOTE: 'm_queue' is modified under 'm_wait_mutex' here
    }
    m_wait_cv.notify_one();
  }

private:
  void executor(std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock<std::mutex> lk{m_wait_mutex};
      m_wait_cv.wait(lk, st, [&] { return !m_queue.empty(); });
      if (m_queue.empty())
        continue;
      auto handle = m_queue.front();
      m_queue.pop_front();
      lk.unlock();
      handle.resume();
    }
  }
  mutable std::mutex m_wait_mutex;
  std::deque<std::coroutine_handle<>> m_queue;
  std::condition_variable_any m_wait_cv;
  std::vector<std::jthread> m_threads;
};

class thread_bag {
public:
  void add_thread(std::thread &&t) {
    std::unique_lock<std::mutex> lock(mutex_);
    threads_.push_back(std::move(t)); // CHECK-NOTE: 'threads_' is modified under 'mutex_' here
  }
  void shutdown() {
    for (auto &t : threads_) // CHECK-WARN: container 'threads_' is read without holding 'mutex_', which guards its other accesses
      t.join();
  }

private:
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};
