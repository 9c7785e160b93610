// A Go-style channel as users write them: send/close/is_closed, a status on
// send. Recognized by name ("chan" + a close() method).
#pragma once
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

enum class ChanStatus { Ok, Closed };

template <typename T> class Chan {
public:
  ChanStatus send(T v) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_)
      return ChanStatus::Closed;
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

// A movable channel handle (shared state), so that assignment can replace
// the channel an object refers to.
template <typename T> class ChanRef {
public:
  ChanRef() : impl_(std::make_shared<Chan<T>>()) {}
  ChanStatus send(T v) { return impl_->send(std::move(v)); }
  ChanRef &operator<<(T v) {
    (void)impl_->send(std::move(v));
    return *this;
  }
  void close() { impl_->close(); }
  bool closed() const { return impl_->is_closed(); }

private:
  std::shared_ptr<Chan<T>> impl_;
};
