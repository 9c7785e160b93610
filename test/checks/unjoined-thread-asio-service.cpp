// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// REQUIRES: asio
// Seen in asio's executors/pipeline.cpp example: an
// execution_context::service that joins its threads in shutdown(). The
// context calls shutdown() on every service before it destroys any, so the
// implicit destructor never sees a joinable thread. A class that is not a
// service gets no such pass.
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

// Not a service: nothing calls its shutdown() before destruction.
class plain_bag { // CHECK-WARN: the implicit destructor of 'plain_bag' does not join or detach thread member 'threads_' (std::terminate is called if it is joinable)
  // CHECK-NOTE@-1: join or detach 'threads_' in the destructor
public:
  void add_thread(std::thread &&t) { threads_.push_back(std::move(t)); } // CHECK-NOTE: thread added to 'threads_' here
  void shutdown() {
    for (auto &t : threads_)
      t.join();
  }

private:
  std::vector<std::thread> threads_;
};
