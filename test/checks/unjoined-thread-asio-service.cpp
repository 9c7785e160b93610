// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// REQUIRES: asio
// XFAIL: *
// Known false positive (asio's executors/pipeline.cpp example): an
// execution_context::service that joins its threads in shutdown(). The
// context calls shutdown() on every service before it destroys any, so the
// implicit destructor never sees a joinable thread. Fix needed: a class
// derived from asio::execution_context::service (or boost::asio's) whose
// shutdown() override joins the member has decided who joins it.
#include <asio/execution_context.hpp>
#include <mutex>
#include <thread>
#include <vector>

class thread_bag : public asio::execution_context::service {
public:
  typedef thread_bag key_type;
  explicit thread_bag(asio::execution_context &ctx)
      : asio::execution_context::service(ctx) {}
  void add_thread(std::thread &&t) {
    std::unique_lock<std::mutex> lock(mutex_);
    threads_.push_back(std::move(t));
  }

private:
  void shutdown() override {
    for (auto &t : threads_)
      t.join();
  }
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};
