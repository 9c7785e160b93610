// REQUIRES: asio
// An asio timer callback that re-arms itself on every path and never looks
// at its error_code or another cancellation source: the callback analog of
// for (;;). timer.cancel() only delivers operation_aborted to a handler that
// ignores it, and the chain goes on.
// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
#include <asio.hpp>
#include <atomic>
#include <chrono>

void beat();

// ---------------------------------------------------------------- positives

class Heartbeat {
public:
  explicit Heartbeat(asio::io_context &io) : timer_(io) { arm(); }

private:
  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const asio::error_code &) { // CHECK-WARN: the callback handed here starts the operation again on every path and never checks for cancellation; the chain can never be stopped
      beat();
      arm(); // CHECK-NOTE: re-armed here
    });
    // CHECK-NOTE@-4: return from the callback when the error_code is set (asio::error::operation_aborted after cancel()) or when a stop flag is set
  }
  asio::steady_timer timer_;
};

class BoundHandler {
public:
  explicit BoundHandler(asio::io_context &io) : timer_(io) {}
  void start() {
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([this](asio::error_code ec) { on_timer(ec); }); // CHECK-WARN: the callback handed here starts the operation again on every path
    // CHECK-NOTE@-1: return from the callback when the error_code is set
  }

private:
  void on_timer(asio::error_code) {
    beat();
    start(); // CHECK-NOTE: re-armed here
  }
  asio::steady_timer timer_;
};

// ---------------------------------------------------------------- negatives

class ChecksError {
public:
  explicit ChecksError(asio::io_context &io) : timer_(io) { arm(); }
  void stop() { timer_.cancel(); }

private:
  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const asio::error_code &ec) {
      if (ec == asio::error::operation_aborted)
        return;
      beat();
      arm();
    });
  }
  asio::steady_timer timer_;
};

class ChecksFlag {
public:
  explicit ChecksFlag(asio::io_context &io) : timer_(io) { arm(); }
  void stop() { stopped_ = true; }

private:
  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const asio::error_code &) {
      beat();
      if (!stopped_)
        arm();
    });
  }
  std::atomic<bool> stopped_{false};
  asio::steady_timer timer_;
};

// The accept loop of asio's servers: the handler looks at its error_code.
class Acceptor {
public:
  explicit Acceptor(asio::io_context &io) : acceptor_(io) { accept(); }

private:
  void accept() {
    acceptor_.async_accept([this](asio::error_code ec, asio::ip::tcp::socket) {
      if (!ec)
        beat();
      accept();
    });
  }
  asio::ip::tcp::acceptor acceptor_;
};

// A composed operation: the callback calls back into the function that
// starts the next step, which starts one only while steps are left.
class Steps {
public:
  explicit Steps(asio::io_context &io) : timer_(io) { next(); }

private:
  void next() {
    if (left_ == 0)
      return;
    --left_;
    timer_.expires_after(std::chrono::milliseconds(10));
    timer_.async_wait([this](const asio::error_code &) { next(); });
  }
  int left_ = 3;
  asio::steady_timer timer_;
};

// Fires once: no re-arm.
void once(asio::steady_timer &timer) {
  timer.expires_after(std::chrono::seconds(1));
  timer.async_wait([](const asio::error_code &) { beat(); });
}
