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

// BAD: the error of the first call is overwritten before anyone looks.
void rotate(const fs::path &log, const fs::path &old) {
  std::error_code ec;
  fs::rename(log, old, ec); // BAD: overwritten by the next call
  fs::remove(log, ec);
  if (ec)
    return;
}

// BAD: only the pointer of from_chars is looked at.
int parse_prefix(const std::string &s) {
  int v = 0;
  auto [ptr, err] = std::from_chars(s.data(), s.data() + s.size(), v); // BAD
  return ptr == s.data() ? -1 : v;
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
