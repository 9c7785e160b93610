// Bench corpus: a thread pool over libstdc++'s <thread>, <future>, <mutex>,
// <condition_variable>, <functional>, <queue>, with the usual patterns.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

class ThreadPool {
public:
  explicit ThreadPool(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      workers_.emplace_back([this] { loop(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto &t : workers_)
      t.join();
  }
  template <typename F> auto submit(F f) -> std::future<decltype(f())> {
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    auto fut = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.emplace([task] { (*task)(); });
    }
    cv_.notify_one();
    return fut;
  }

private:
  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_ && queue_.empty())
          return;
        job = std::move(queue_.front());
        queue_.pop();
      }
      job();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::queue<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

int word_lengths(const std::vector<std::string> &words) {
  ThreadPool pool(4);
  std::vector<std::future<int>> results;
  for (const std::string &w : words)
    results.push_back(pool.submit([w] { return static_cast<int>(w.size()); }));
  int total = 0;
  for (auto &r : results)
    total += r.get();
  return total;
}

std::map<std::string, int> histogram(const std::vector<std::string> &words) {
  std::map<std::string, int> h;
  std::mutex mu;
  std::vector<std::thread> ts;
  for (unsigned part = 0; part < 4; ++part)
    ts.emplace_back([&, part] {
      for (size_t i = part; i < words.size(); i += 4) {
        std::lock_guard<std::mutex> lock(mu);
        ++h[words[i]];
      }
    });
  for (auto &t : ts)
    t.join();
  return h;
}

int async_sum(int n) {
  auto a = std::async(std::launch::async, [n] { return n * 2; });
  auto b = std::async(std::launch::deferred, [n] { return n + 1; });
  std::atomic<int> c{0};
  std::jthread j([&c](std::stop_token st) {
    while (!st.stop_requested() && c.load() < 10)
      c.fetch_add(1);
  });
  return a.get() + b.get();
}
