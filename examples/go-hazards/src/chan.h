// A minimal Go-style channel: send/receive/close, with a status on send.
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

enum class ChanStatus { Ok, Closed };

template <typename T> class Chan {
public:
  ChanStatus send(T v) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_)
      return ChanStatus::Closed; // the value is silently lost
    q_.push_back(std::move(v));
    cv_.notify_one();
    return ChanStatus::Ok;
  }
  std::optional<T> receive() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !q_.empty(); });
    if (q_.empty())
      return std::nullopt;
    T v = std::move(q_.front());
    q_.pop_front();
    return v;
  }
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  bool is_closed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_;
  }

private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> q_;
  bool closed_ = false;
};
