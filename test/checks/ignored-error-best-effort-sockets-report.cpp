// ReportBestEffort: true reports the best-effort socket and timer calls
// (set_option, cancel) that ignored-error-best-effort-sockets.cpp shows
// hidden by default.
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportBestEffort: true}}" -- -std=c++17
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

// ------------------------------------------------ reported with the option

void onConnected(net::Socket &S) {
  std::error_code Ec;
  S.set_option(net::NoDelay{true}, Ec); // CHECK-WARN: error stored in 'Ec' by 'set_option' is never read
}

void onTimeout(net::Socket &S, net::Timer &T) {
  std::error_code Ec;
  S.cancel(Ec); // CHECK-WARN: error stored in 'Ec' by 'cancel' is overwritten before it is read
  // CHECK-NOTE@+1: 'Ec' is overwritten here
  T.cancel(Ec); // CHECK-WARN: error stored in 'Ec' by 'cancel' is never read
}

// ------------------------------------------------------- reported anyway

void send(net::Socket &S, const char *Data, std::size_t Size) {
  std::error_code Ec;
  consume(S.write_some(Data, Size, Ec)); // CHECK-WARN: error stored in 'Ec' by 'write_some' is never read
}

void open(net::Socket &S) {
  std::error_code Ec;
  S.connect(80, Ec); // CHECK-WARN: error stored in 'Ec' by 'connect' is never read
}
