// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// Dismissible by default (ReportTeardown): the last write on a stream that
// the same block then tears down (close(), shutdown()) before it returns, a
// rejection response sent on a connection being closed: whatever the write
// did, the connection is closed. The stream is the object of the call or an
// argument taken by non-const reference, seen through accessors
// (`conn->adaptor.socket()`). Reported when the stream is used between the
// write and the teardown, when the block goes on after the teardown, or
// when another object is torn down. With ReportTeardown on:
// ignored-error-teardown-writes-report.cpp.
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
    write(conn->adaptor.socket(), "HTTP/1.1 403 Forbidden\r\n\r\n", ec); // dismissible
    conn->adaptor.close();
    return;
  }
  log("accepted");
}

// A member write, then shutdown and close.
void goodbye(Socket &sock) {
  std::error_code ec;
  sock.write_some("bye", ec); // dismissible
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
