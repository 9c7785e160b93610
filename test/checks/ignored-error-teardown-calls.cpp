// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// Dismissible by default (issue 16): a call of a teardown member
// (TeardownFunctions: close, shutdown, ...) after which the function uses its
// object only for further teardown calls, or not at all, tears the object
// down wherever it is written: in a session that is over, an accept loop, a
// signal handler. The error_code overload is used there not to throw.
// Reported when the object is used normally afterwards (closed, then opened
// again), and for calls that are not teardown. With ReportTeardown on:
// ignored-error-teardown-calls-report.cpp.
#include <system_error>
#include <utility>

struct Socket {
  void open();
  void send(const char *msg, std::error_code &ec);
  void shutdown(int how, std::error_code &ec);
  void close(std::error_code &ec);
  bool is_open() const;
};

void log(const char *msg);

// The session is over: shut down, close, never used again.
void end_session(Socket &sock) {
  std::error_code ec;
  sock.shutdown(2, ec); // dismissible: not reported by default
  sock.close(ec);       // dismissible: not reported by default
  log("session finished");
}

// An accept loop: each connection's socket is closed at the end of its
// iteration and dies there.
void serve(int n) {
  for (int i = 0; i < n; ++i) {
    Socket conn;
    conn.open();
    std::error_code ec;
    conn.send("hello", ec);
    if (ec)
      continue;
    conn.close(ec); // dismissible: not reported by default
  }
}

// The same with the connection taken from a structured binding of a pair.
std::pair<int, Socket> accept_one();
void serve_bound(int n) {
  for (int i = 0; i < n; ++i) {
    auto [error, conn] = accept_one();
    if (error)
      continue;
    conn.open();
    std::error_code ec;
    conn.shutdown(2, ec); // dismissible: not reported by default
    conn.close(ec);       // dismissible: not reported by default
  }
}

// A signal handler that closes the listening socket.
template <class F> void on_signal(F handler) { handler(2); }
void listen_until_signal(Socket &acceptor) {
  on_signal([&acceptor](int) {
    std::error_code ec;
    acceptor.close(ec); // dismissible: not reported by default
  });
}

// A member closed by a member function that does not use it again.
class Client {
public:
  void on_failure() {
    std::error_code ec;
    sock_.close(ec); // dismissible: not reported by default
    retries_ = 0;
  }
  // Closed, then used normally: the close's failure matters.
  void reconnect() {
    std::error_code ec;
    sock_.close(ec); // CHECK-WARN: error stored in 'ec' by 'close' is never read
    sock_.open();
  }

private:
  Socket sock_;
  int retries_ = 0;
};

// Closed, then opened again: reported.
void reopen(Socket &sock) {
  std::error_code ec;
  sock.close(ec); // CHECK-WARN: error stored in 'ec' by 'close' is overwritten before it is read
  sock.open();
  sock.send("again", ec); // CHECK-NOTE: 'ec' is overwritten here
  if (ec)
    log("send failed");
}

// Closed, then queried: a normal use.
bool close_and_check(Socket &sock) {
  std::error_code ec;
  sock.close(ec); // CHECK-WARN: error stored in 'ec' by 'close' is never read
  return sock.is_open();
}

// A loop over one socket: the next iteration opens it again.
void cycle(Socket &sock, int n) {
  for (int i = 0; i < n; ++i) {
    sock.open();
    std::error_code ec;
    sock.close(ec); // CHECK-WARN: error stored in 'ec' by 'close' is never read
  }
}

// A call that is not teardown stays reported whatever follows.
void last_message(Socket &sock) {
  std::error_code ec;
  sock.send("bye", ec); // CHECK-WARN: error stored in 'ec' by 'send' is never read
}
