// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// Errors stored into a variable (out-parameter, initialisation, assignment)
// and never read before they are overwritten or the variable dies.
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

std::error_code save(const char *path);
void log(const std::error_code &ec);
void log_value(std::error_code ec);
void fill(std::error_code &ec); // an out-parameter API of the user's own
bool probe(int fd, std::error_code &ec);
void use_flag(bool);
void keep(std::error_code *ec);
// Defined here: reads its parameter, so passing ec to it is a read.
void report(std::error_code &ec) {
  if (ec)
    log(ec);
}
// Defined here: only writes its parameter, so it stores an error.
void reset_to_io_error(std::error_code &ec) {
  ec = std::make_error_code(std::errc::io_error);
}

void out_param_never_read(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
}

void out_param_overwritten(const fs::path &a, const fs::path &b) {
  std::error_code ec;
  fs::remove_all(a, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is overwritten before it is read
  fs::remove_all(b, ec); // CHECK-NOTE: 'ec' is overwritten here
  if (ec)
    log(ec);
}

void init_never_read() {
  auto ec = save("a"); // CHECK-WARN: error stored in 'ec' by 'save' is never read
  std::error_code ec2 = save("b"); // CHECK-WARN: error stored in 'ec2' by 'save' is never read
}

void assignment_overwritten() {
  std::error_code ec;
  ec = save("a"); // CHECK-WARN: error stored in 'ec' by 'save' is overwritten before it is read
  ec = save("b"); // CHECK-NOTE: 'ec' is overwritten here
  log(ec);
}

void cleared_by_reset() {
  std::error_code ec = save("a"); // CHECK-WARN: error stored in 'ec' by 'save' is overwritten before it is read
  ec = {}; // CHECK-NOTE: 'ec' is overwritten here
  log(ec);
}

void user_out_param(int fd) {
  std::error_code ec;
  fill(ec); // CHECK-WARN: error stored in 'ec' by 'fill' is never read
  std::error_code ec2;
  bool found = probe(fd, ec2); // CHECK-WARN: error stored in 'ec2' by 'probe' is never read
  use_flag(found);
}

void in_loop(const fs::path &p) {
  std::error_code ec;
  for (int i = 0; i < 3; ++i)
    fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is overwritten before it is read
  // CHECK-NOTE@-1: 'ec' is overwritten here
}

void declared_in_loop(const fs::path &p) {
  for (int i = 0; i < 3; ++i) {
    std::error_code ec;
    fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  }
}

void defined_out_param() {
  std::error_code ec;
  reset_to_io_error(ec); // CHECK-WARN: error stored in 'ec' by 'reset_to_io_error' is never read
}

void checked_int_never_read(int fd, const char *buf) {
  ssize_t n = write(fd, buf, 4); // CHECK-WARN: error stored in 'n' by 'write' is never read
}

int from_chars_ptr_only(const char *s, const char *e) {
  int v = 0;
  auto [ptr, err] = std::from_chars(s, e, v); // CHECK-WARN: error stored in 'err' by 'from_chars' is never read
  return ptr == e ? v : -1;
}

// Read on one path only: not flagged (a read on some path counts).
void read_in_later_branch(const fs::path &p, bool verbose) {
  std::error_code ec;
  fs::remove_all(p, ec);
  if (verbose)
    log(ec);
}

// Negative: the error is read in every way a program reads one.
std::error_code returned(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  return ec;
}
bool tested(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  return !ec;
}
void compared(const fs::path &p) {
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec == std::errc::file_exists)
    return;
}
int value_read(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  return ec.value();
}
void message_read(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  (void)ec.message();
}
void passed_on(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  log_value(ec);
  std::error_code ec2;
  fs::remove_all(p, ec2);
  log(ec2);
}
void reported_by_reader(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  report(ec);
}
void copied(const fs::path &p, std::error_code &out) {
  std::error_code ec;
  fs::remove_all(p, ec);
  out = ec;
}
void cast_to_void(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  (void)ec; // dropped on purpose
}
void captured(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  auto report = [ec] { log(ec); };
  report();
}
void captured_by_reference_before(const fs::path &p) {
  std::error_code ec;
  auto report = [&] { log(ec); };
  fs::remove_all(p, ec); // read later through the lambda
  report();
}
void address_taken(const fs::path &p) {
  std::error_code ec;
  keep(&ec);
  fs::remove_all(p, ec);
}
void aliased(const fs::path &p) {
  std::error_code ec;
  const std::error_code &alias = ec;
  fs::remove_all(p, ec);
  log(alias);
}
void named_ignored(const fs::path &p) {
  std::error_code ignored_ec;
  fs::remove_all(p, ignored_ec);
  std::error_code unused;
  fs::remove_all(p, unused);
}
void maybe_unused(const fs::path &p) {
  [[maybe_unused]] std::error_code ec;
  fs::remove_all(p, ec);
}
void read_then_reused(const fs::path &a, const fs::path &b) {
  std::error_code ec;
  fs::remove_all(a, ec);
  if (ec)
    return;
  fs::remove_all(b, ec);
  if (ec)
    return;
}
void loop_tested(const fs::path &p) {
  std::error_code ec;
  for (int i = 0; i < 3 && !ec; ++i)
    fs::remove_all(p, ec);
}
void init_tested() {
  if (auto ec = save("a"))
    log(ec);
  auto ec2 = save("b");
  while (ec2)
    ec2 = save("c");
}
int checked_int_read(int fd, const char *buf) {
  ssize_t n = write(fd, buf, 4);
  return n < 0 ? -1 : 0;
}
bool from_chars_checked(const char *s, const char *e, int &v) {
  auto [ptr, err] = std::from_chars(s, e, v);
  return err == std::errc() && ptr == e;
}
bool from_chars_whole(const char *s, const char *e, int &v) {
  auto r = std::from_chars(s, e, v);
  return r.ec == std::errc();
}
void try_catch(const fs::path &p) {
  std::error_code ec;
  try {
    fs::remove_all(p, ec);
  } catch (...) {
  }
  if (ec)
    log(ec);
}

// The value of the assignment is read where it is made: the store is read.
void assigned_and_compared(int fd, const char *buf) {
  ssize_t n = 0;
  if ((n = write(fd, buf, 4)) == -1)
    log(std::error_code(errno, std::generic_category()));
}
bool assigned_and_tested() {
  std::error_code ec;
  if ((ec = save("a")))
    return false;
  return true;
}
int assigned_in_loop_condition(int fd, const char *buf) {
  ssize_t n;
  int tries = 0;
  while ((n = write(fd, buf, 4)) < 0 && tries < 3)
    ++tries;
  return tries;
}
// Positive: an assignment whose value nobody reads.
void assigned_only(int fd, const char *buf) {
  ssize_t n;
  n = write(fd, buf, 4); // CHECK-WARN: error stored in 'n' by 'write' is never read
}
void assigned_in_parentheses(int fd, const char *buf) {
  ssize_t n;
  (n = write(fd, buf, 2)); // CHECK-WARN: error stored in 'n' by 'write' is never read
}
// The binding that carries the error is named as ignored.
int from_chars_binding_ignored(const char *s, const char *e) {
  int v = 0;
  auto [ptr, _] = std::from_chars(s, e, v);
  return ptr == e ? v : -1;
}
