// Best-effort socket and timer calls (BestEffortFunctions, default on the
// list: set_option, cancel): a socket option is a hint (Nagle off, keep
// alive) and a cancellation of operations being given up changes nothing
// when it fails, so their dropped error_code is not reported by default.
// A write, read, connect or accept whose error is dropped stays reported.
// ignored-error-best-effort-sockets-report.cpp has ReportBestEffort on.
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++17
#include <cstddef>
#include <system_error>

namespace net {
struct NoDelay {
  bool On;
};
class Socket {
public:
  void set_option(NoDelay Option, std::error_code &Ec);
  void cancel(std::error_code &Ec);
  std::size_t write_some(const char *Data, std::size_t Size,
                         std::error_code &Ec);
  void connect(int Port, std::error_code &Ec);
};
class Timer {
public:
  std::size_t cancel(std::error_code &Ec);
};
} // namespace net

void consume(std::size_t);

// ---------------------------------------------------------------- negatives

void onConnected(net::Socket &S) {
  std::error_code Ec;
  S.set_option(net::NoDelay{true}, Ec);
}

void onTimeout(net::Socket &S, net::Timer &T) {
  std::error_code Ec;
  S.cancel(Ec);
  T.cancel(Ec);
}

// ---------------------------------------------------------------- positives

void send(net::Socket &S, const char *Data, std::size_t Size) {
  std::error_code Ec;
  consume(S.write_some(Data, Size, Ec)); // CHECK-WARN: error stored in 'Ec' by 'write_some' is never read
}

void open(net::Socket &S) {
  std::error_code Ec;
  S.connect(80, Ec); // CHECK-WARN: error stored in 'Ec' by 'connect' is never read
}
