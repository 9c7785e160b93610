// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportTeardown: true}}" -- -std=c++20
// The writes before a teardown (ignored-error-teardown-writes.cpp) reported
// with ReportTeardown on.
#include <cstddef>
#include <memory>
#include <system_error>

struct Socket {
  void open();
  std::size_t write_some(const char *data, std::error_code &ec);
  void close();
  void shutdown(int how);
};

struct Adaptor {
  Socket &socket();
  void close();
};

struct Connection {
  Adaptor adaptor;
  bool rejected = false;
};

std::size_t write(Socket &s, const char *data, std::error_code &ec);
void log(const char *msg);

// The rejection response, then the connection closed.
void reject(std::shared_ptr<Connection> conn) {
  if (conn->rejected) {
    std::error_code ec;
    write(conn->adaptor.socket(), "HTTP/1.1 403 Forbidden\r\n\r\n", ec); // CHECK-WARN: error stored in 'ec' by 'write' is never read
    conn->adaptor.close();
    return;
  }
  log("accepted");
}

// A member write, then shutdown and close.
void goodbye(Socket &sock) {
  std::error_code ec;
  sock.write_some("bye", ec); // CHECK-WARN: error stored in 'ec' by 'write_some' is never read
  log("closing");
  sock.shutdown(2);
  sock.close();
}

// Reported: the stream is used between the write and the close.
void retry(Socket &sock) {
  std::error_code ec;
  sock.write_some("bye", ec); // CHECK-WARN: error stored in 'ec' by 'write_some' is never read
  sock.open();
  sock.close();
}

// Reported: the block goes on after the close.
void reopen(Socket &sock) {
  std::error_code ec;
  sock.write_some("bye", ec); // CHECK-WARN: error stored in 'ec' by 'write_some' is never read
  sock.close();
  sock.open();
}

// Reported: another stream is closed.
void other(Socket &a, Socket &b) {
  std::error_code ec;
  a.write_some("bye", ec); // CHECK-WARN: error stored in 'ec' by 'write_some' is never read
  b.close();
  log("done");
}

// Reported: nothing closes the stream.
void keep(Socket &sock) {
  std::error_code ec;
  write(sock, "data", ec); // CHECK-WARN: error stored in 'ec' by 'write' is never read
  log("sent");
}
