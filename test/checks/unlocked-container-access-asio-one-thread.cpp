// REQUIRES: asio
// RUN: %check_tidy %s pitfall-unlocked-container-access -- -std=c++17
// Handlers of an io_context that one thread alone runs: a completion
// handler (or a function posted) capturing `this` in a member function of
// a class whose only io_context is that member, and what it posts to the
// io_context or to a strand on it, run one at a time on that thread. The
// io_context's run() is called by one thread: the body of one std::thread
// started outside any loop. Two threads running it, a pool of threads
// started in a loop, or an access outside any handler (on the owner's
// thread) are still reported.
#include <asio.hpp>
#include <map>
#include <string>
#include <thread>
#include <vector>

//===--- negative cases ---------------------------------------------------===//

// The read handler and the erase it posts to the strand both run on
// io_thread_, the only caller of io_.run().
class Client {
  asio::io_context io_;
  asio::io_context::strand strand_{io_};
  asio::ip::tcp::socket socket_{io_};
  std::map<int, std::string> calls_;
  char buf_[512];
  std::thread io_thread_;

  void do_read() {
    socket_.async_read_some(asio::buffer(buf_), [this](std::error_code ec, std::size_t n) {
      if (ec)
        return;
      for (std::size_t i = 0; i < n; ++i) {
        int id = buf_[i];
        calls_[id] = "done";
        strand_.post([this, id] { calls_.erase(id); });
      }
      do_read();
    });
  }

public:
  Client() {
    do_read();
    io_thread_ = std::thread([this] { io_.run(); });
  }
  ~Client() {
    io_.stop();
    io_thread_.join();
  }
};

// The same with the strand built in the constructor's initialiser list and
// the handler posting to the io_context itself.
class Timers {
  asio::io_context io_;
  asio::io_context::strand strand_;
  asio::steady_timer timer_;
  std::vector<int> tasks_;
  std::thread runner_;

  void tick() {
    timer_.async_wait([this](std::error_code) {
      for (int i = 0; i < 3; ++i) {
        tasks_.push_back(i);
        asio::post(io_, [this] { tasks_.clear(); });
      }
      tick();
    });
  }

public:
  Timers() : strand_(io_), timer_(io_) {
    tick();
    runner_ = std::thread([this] { io_.run(); });
  }
  ~Timers() { runner_.join(); }
};

//===--- positive cases ---------------------------------------------------===//

// Two threads run the io_context.
class TwoRunners {
  asio::io_context io_;
  asio::io_context::strand strand_{io_};
  asio::ip::tcp::socket socket_{io_};
  std::map<int, std::string> calls_;
  char buf_[512];
  std::thread a_, b_;

  void do_read() {
    socket_.async_read_some(asio::buffer(buf_), [this](std::error_code ec, std::size_t n) {
      if (ec)
        return;
      for (std::size_t i = 0; i < n; ++i) {
        int id = buf_[i];
        calls_[id] = "done"; // CHECK-WARN: container 'calls_' is modified without a lock while another thread modifies it
        strand_.post([this, id] { calls_.erase(id); }); // CHECK-NOTE: conflicting modification on another thread
      }
      do_read();
    });
  }

public:
  TwoRunners() {
    do_read();
    a_ = std::thread([this] { io_.run(); });
    b_ = std::thread([this] { io_.run(); });
  }
  ~TwoRunners() {
    a_.join();
    b_.join();
  }
};

// A pool of threads runs it.
class Pooled {
  asio::io_context io_;
  asio::io_context::strand strand_{io_};
  asio::ip::tcp::socket socket_{io_};
  std::map<int, std::string> calls_;
  char buf_[512];
  std::vector<std::thread> pool_;

  void do_read() {
    socket_.async_read_some(asio::buffer(buf_), [this](std::error_code ec, std::size_t n) {
      if (ec)
        return;
      for (std::size_t i = 0; i < n; ++i) {
        int id = buf_[i];
        calls_[id] = "done"; // CHECK-WARN: container 'calls_' is modified without a lock while another thread modifies it
        strand_.post([this, id] { calls_.erase(id); }); // CHECK-NOTE: conflicting modification on another thread
      }
      do_read();
    });
  }

public:
  Pooled() {
    do_read();
    for (int i = 0; i < 4; ++i)
      pool_.emplace_back([this] { io_.run(); });
  }
  ~Pooled() {
    for (std::thread &t : pool_)
      t.join();
  }
};

// An access on the owner's thread, outside any handler.
class OwnerAccess {
  asio::io_context io_;
  asio::io_context::strand strand_{io_};
  std::map<int, std::string> calls_;
  std::thread io_thread_;

public:
  OwnerAccess() { io_thread_ = std::thread([this] { io_.run(); }); }
  ~OwnerAccess() { io_thread_.join(); }
  void call(int id) {
    for (int i = 0; i < 2; ++i) {
      calls_[id + i] = "sent"; // CHECK-WARN: container 'calls_' is modified without a lock while another thread modifies it
      strand_.post([this, id] { calls_.erase(id); }); // CHECK-NOTE: conflicting modification on another thread
    }
  }
};

int main() {
  Client c;
  Timers t;
  TwoRunners r;
  Pooled p;
  OwnerAccess o;
  o.call(1);
}
