// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// The forms errors take in merged bug fixes: an error tested and logged, after
// which the code goes on using the call's result as if it had succeeded; an
// error out-parameter of the caller's (a reference parameter, a member)
// overwritten by the next call before anyone reads it; the error_code a
// completion handler receives, never read; std::async's future dropped with
// a cast to void or std::ignore (the call still blocks). Each with the fixed
// shape as a negative case.
#include <filesystem>
#include <future>
#include <system_error>
#include <tuple>

namespace fs = std::filesystem;

std::size_t read_chunk(int fd, char *buf, std::size_t len,
                       std::error_code &ec);
void consume(const char *buf, std::size_t n);
void log(const std::error_code &ec);
void log_partial(std::size_t n);

// ------------------------------------------------ error seen, not acted on

void logged_then_used(int fd, char *buf) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  if (ec) // CHECK-NOTE: 'ec' is tested here; its error path goes on
    log(ec);
  consume(buf, n); // CHECK-WARN: 'n', the result of 'read_chunk', is used on the path where the error in 'ec' was seen and not acted on
}

void logged_then_used_in_loop(int fd, char *buf) {
  std::error_code ec;
  std::size_t n = 0;
  do {
    n = read_chunk(fd, buf, 64, ec);
    if (!ec) // CHECK-NOTE: 'ec' is tested here; its error path goes on
      log_partial(n);
    else
      log(ec);
    consume(buf, n); // CHECK-WARN: 'n', the result of 'read_chunk', is used on the path where the error in 'ec' was seen
  } while (n != 0);
}

// Negative: the error path leaves, takes the other branch, or replaces the
// result; the result is read on the error path only to report it; the code
// looks at which error it is.
void acted_on(int fd, char *buf, bool verbose) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  if (ec) {
    log(ec);
    return;
  }
  consume(buf, n);

  std::size_t m = read_chunk(fd, buf, 64, ec);
  if (ec)
    log(ec);
  else
    consume(buf, m);

  std::size_t k = read_chunk(fd, buf, 64, ec);
  if (ec) {
    log(ec);
    k = 0;
  }
  consume(buf, k);

  std::size_t p = read_chunk(fd, buf, 64, ec);
  if (ec)
    log_partial(p);
  if (!ec)
    consume(buf, p);

  std::size_t q = read_chunk(fd, buf, 64, ec);
  if (ec && ec != std::errc::resource_unavailable_try_again)
    throw std::system_error(ec);
  if (verbose)
    log(ec);
  consume(buf, q);
}

// Negative: the error is never tested (the store analysis's business: here
// it is read by the return).
std::error_code untested(int fd, char *buf) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  consume(buf, n);
  return ec;
}

// ------------------------------------------------ caller's ec overwritten

void prepare(const fs::path &dir, std::error_code &ec) {
  fs::create_directories(dir, ec); // CHECK-WARN: error stored in 'ec' by 'create_directories' is overwritten before it is read
  fs::permissions(dir, fs::perms::owner_all, ec); // CHECK-NOTE: 'ec' is overwritten here
}

// Negative: the first error is returned, or left for the caller.
void prepare_checked(const fs::path &dir, std::error_code &ec) {
  fs::create_directories(dir, ec);
  if (ec)
    return;
  fs::permissions(dir, fs::perms::owner_all, ec);
}
void prepare_once(const fs::path &dir, std::error_code &ec) {
  fs::create_directories(dir, ec);
}
// Negative: a const reference is read, not written; a copy is a local.
void report(const std::error_code &ec, std::error_code copy) {
  log(ec);
  log(copy);
}

class Store {
public:
  void open() {
    fs::create_directories(dir_, ec_); // CHECK-WARN: error stored in 'ec_' by 'create_directories' is overwritten before it is read
    fs::permissions(dir_, fs::perms::owner_all, ec_); // CHECK-NOTE: 'ec_' is overwritten here
  }
  // Negative: a member function of the class may read the member in between;
  // the last error is left for error().
  void open_checked() {
    fs::create_directories(dir_, ec_);
    check();
    fs::permissions(dir_, fs::perms::owner_all, ec_);
  }
  std::error_code error() const { return ec_; }

private:
  void check();
  fs::path dir_;
  std::error_code ec_;
};

// ------------------------------------------------ completion handlers

template <class Handler> void async_read(int fd, char *buf, Handler &&h) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  h(ec, n);
}

void handler_drops_error(int fd, char *buf) {
  async_read(fd, buf, [buf](std::error_code ec, std::size_t n) { // CHECK-WARN: error code 'ec' passed to the completion handler is never read
    consume(buf, n);
  });
  async_read(fd, buf, [buf](const std::error_code &error, std::size_t n) { // CHECK-WARN: error code 'error' passed to the completion handler is never read
    consume(buf, n);
  });
}

// Negative: the handler reads the error, leaves the parameter unnamed, marks
// it [[maybe_unused]] or names it as ignored; a lambda that is not passed
// on is no completion handler.
void handler_reads_error(int fd, char *buf) {
  async_read(fd, buf, [buf](std::error_code ec, std::size_t n) {
    if (!ec)
      consume(buf, n);
  });
  async_read(fd, buf, [buf](std::error_code, std::size_t n) { consume(buf, n); });
  async_read(fd, buf, [buf]([[maybe_unused]] std::error_code ec,
                            std::size_t n) { consume(buf, n); });
  async_read(fd, buf, [buf](std::error_code ignored_ec, std::size_t n) {
    consume(buf, n);
  });
  auto local = [buf](std::error_code ec, std::size_t n) { consume(buf, n); };
  (void)local;
}

// ------------------------------------------------ std::async discarded

void work();

void async_silenced() {
  // CHECK-WARN@+2: std::future returned by std::async is discarded: the call blocks until the task finishes
  // CHECK-NOTE@+1: keep the future and call get() on it
  (void)std::async(std::launch::async, work);
  // CHECK-WARN@+2: std::future returned by std::async is discarded
  // CHECK-NOTE@+1: keep the future
  std::ignore = std::async(std::launch::async, work);
  // CHECK-WARN@+2: std::future returned by std::async is discarded
  // CHECK-NOTE@+1: keep the future
  static_cast<void>(std::async(std::launch::async, work));
}

// Negative: the future is kept and waited for.
void async_kept() {
  auto f = std::async(std::launch::async, work);
  auto g = std::async(std::launch::async, work);
  f.get();
  g.wait();
}

// ------------------------------------------------ not out-parameters

// Negative (issue 16): an error packed with a count into a pair or a tuple,
// or handed to a class's forwarding constructor, is read there, not written.
struct Completion {
  template <class E> Completion(E &&error, std::size_t n);
};
std::pair<std::error_code, std::size_t> packed(int fd, char *buf) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  return std::make_pair(ec, n);
}
std::tuple<std::error_code, std::size_t> tupled(int fd, char *buf) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  return std::forward_as_tuple(ec, n);
}
Completion forwarded(int fd, char *buf) {
  std::error_code ec;
  std::size_t n = read_chunk(fd, buf, 64, ec);
  return Completion(ec, n);
}

// Negative: the caller's error goes back with the result (asio's
// `n = recv(..., ec); if (!ec) ...; return n;`), and setting the caller's
// error on purpose after a best-effort call is no overwrite.
std::size_t read_for_caller(int fd, char *buf, std::error_code &ec) {
  std::size_t n = read_chunk(fd, buf, 64, ec);
  if (!ec)
    log_partial(n);
  return n;
}
void remove_best_effort(const fs::path &dir, std::error_code &ec) {
  fs::remove_all(dir / "stale.lock", ec);
  ec = std::error_code();
}
