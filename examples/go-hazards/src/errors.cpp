// errcheck: dropped error results.
#include <charconv>
#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

std::error_code save(const std::string &path); // returns an error

// BAD: the error_code is dropped.
void cleanup(const fs::path &dir) {
  std::error_code ec;
  fs::remove_all(dir, ec); // BAD: ec never inspected
  save("state.json");       // BAD: result dropped
}

// BAD: a partial write goes unnoticed.
void log_line(int fd, const std::string &line) {
  write(fd, line.data(), line.size());
}

// GOOD: every error is tested or passed on.
std::error_code cleanup_ok(const fs::path &dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec)
    return ec;
  return save("state.json");
}

int parse_port(const std::string &s) {
  int port = 0;
  auto [ptr, err] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (err != std::errc())
    return -1;
  return port;
}
