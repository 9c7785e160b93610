// The declarations ignored-error-best-effort-informational.cpp and its
// -report.cpp share: a socket with informational calls, and a remove of
// the program's own.
#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

namespace net {
struct Endpoint {
  int Port = 0;
};
class Socket {
public:
  std::size_t available(std::error_code &Ec) const;
  Endpoint local_endpoint(std::error_code &Ec) const;
  Endpoint remote_endpoint(std::error_code &Ec) const;
  std::size_t read_some(char *Data, std::size_t Size, std::error_code &Ec);
  void accept(Socket &Peer, std::error_code &Ec);
};
} // namespace net

namespace store {
void remove(const std::string &Key, std::error_code &Ec);
} // namespace store

std::string format(net::Endpoint);
void markClosed();
void consume(std::size_t);
