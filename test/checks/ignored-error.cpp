// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++20
// Discarded error results: calls used as statements whose value carries an
// error, against the real libstdc++ and glibc headers.
#include <charconv>
#include <filesystem>
#include <future>
#include <pthread.h>
#include <sys/socket.h>
#include <system_error>
#include <tuple>
#include <unistd.h>

namespace fs = std::filesystem;

std::error_code save(const char *path); // CHECK-FIX: [[nodiscard]] std::error_code save(const char *path);
// CHECK-NOTE@-1: add [[nodiscard]] to 'save'
std::error_condition classify(int code); // CHECK-FIX: [[nodiscard]] std::error_condition classify(int code);
// CHECK-NOTE@-1: add [[nodiscard]] to 'classify'

class Status {
public:
  bool ok() const;
};
class ParseResult {
public:
  explicit operator bool() const;
};
Status flush_all(); // CHECK-FIX: [[nodiscard]] Status flush_all();
// CHECK-NOTE@-1: add [[nodiscard]] to 'flush_all'

struct Store {
  static Status open(const char *name); // CHECK-FIX: [[nodiscard]] static Status open(const char *name);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'open'
  ParseResult parse(const char *text); // CHECK-FIX: [[nodiscard]] ParseResult parse(const char *text);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'parse'
};

template <class T> std::error_code store_value(const T &v); // CHECK-FIX: template <class T> [[nodiscard]] std::error_code store_value(const T &v);
// CHECK-NOTE@-1: add [[nodiscard]] to 'store_value'

// A class named like a status but without a success test is no error type.
struct RunStatus {
  int code;
};
RunStatus last_run();

void discarded(int fd, Store &s, char *buf) {
  save("a.txt"); // CHECK-WARN: error result of type 'std::error_code' returned by 'save' is discarded
  classify(3); // CHECK-WARN: error result of type 'std::error_condition' returned by 'classify' is discarded
  flush_all(); // CHECK-WARN: error result of type 'Status' returned by 'flush_all' is discarded
  Store::open("db"); // CHECK-WARN: error result of type 'Status' returned by 'open' is discarded
  s.parse("1+1"); // CHECK-WARN: returned by 'parse' is discarded
  store_value(42); // CHECK-WARN: returned by 'store_value' is discarded
  if (fd > 0)
    save("b.txt"); // CHECK-WARN: returned by 'save' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  for (int i = 0; i < 3; ++i)
    flush_all(); // CHECK-WARN: returned by 'flush_all' is discarded
  // CHECK-NOTE@-1: test the result (ok(), has_value() or operator bool), pass it on, or cast it to 'void'

  int v = 0;
  // CHECK-WARN@+2: error result of type 'std::from_chars_result' returned by 'from_chars' is discarded
  // CHECK-NOTE@+1: compare its 'ec' member with std::errc(), pass it on, or cast it to 'void' to drop it on purpose
  std::from_chars(buf, buf + 4, v);
  // CHECK-WARN@+2: returned by 'to_chars' is discarded
  // CHECK-NOTE@+1: compare its 'ec' member
  std::to_chars(buf, buf + 4, v);
  // CHECK-WARN@+2: error result of type 'std::error_code' returned by 'make_error_code' is discarded
  // CHECK-NOTE@+1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  std::make_error_code(std::errc::io_error);

  // CHECK-WARN@+2: failure status returned by 'write' is discarded
  // CHECK-NOTE@+1: compare the result with the function's failure value, pass it on, or cast it to 'void'
  write(fd, buf, 4);
  read(fd, buf, 4); // CHECK-WARN: failure status returned by 'read' is discarded
  // CHECK-NOTE@-1: compare the result
  send(fd, buf, 4, 0); // CHECK-WARN: failure status returned by 'send' is discarded
  // CHECK-NOTE@-1: compare the result
  recv(fd, buf, 4, 0); // CHECK-WARN: failure status returned by 'recv' is discarded
  // CHECK-NOTE@-1: compare the result
  fsync(fd); // CHECK-WARN: failure status returned by 'fsync' is discarded
  // CHECK-NOTE@-1: compare the result

  last_run();
  close(fd); // close() is not in the default list: its failure is rarely actionable
}

void *work(void *);
void threads() {
  pthread_t t;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  pthread_create(&t, nullptr, work, nullptr); // CHECK-WARN: failure status returned by 'pthread_create' is discarded
  // CHECK-NOTE@-1: compare the result
  // Fail only on misuse: ReportMisuseOnlyResults (ignored-error-misuse-only.cpp).
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  pthread_join(t, nullptr); // CHECK-WARN: failure status returned by 'pthread_join' is discarded
  // CHECK-NOTE@-1: compare the result
  pthread_equal(t, t); // not a failure report
  pthread_self();
}

// Negative: every error is tested, returned, passed on or dropped on purpose.
void consume(std::error_code ec);
void consume_ref(const std::error_code &ec);

std::error_code handled(int fd, char *buf) {
  if (save("a"))
    return save("b");
  if (!flush_all().ok())
    return {};
  if (auto ec = save("c"); ec)
    return ec;
  (void)save("d");
  static_cast<void>(save("e"));
  std::ignore = save("f");
  consume(save("g"));
  consume_ref(save("h"));
  int v = 0;
  if (auto [p, e] = std::from_chars(buf, buf + 4, v); e != std::errc())
    return std::make_error_code(e);
  if (write(fd, buf, 4) < 0)
    return std::error_code(errno, std::generic_category());
  (void)write(fd, buf, 4);
  if (pthread_mutex_t m; pthread_mutex_init(&m, nullptr) != 0)
    return {};
  bool failed = save("i") || flush_all().ok();
  (void)failed;
  return save("j");
}

auto lambda_returns = [] { return save("k"); };

// The value of a GNU statement expression is its last statement.
std::error_code statement_expression() {
  return ({ save("l"); });
}

// std::async's future is [[nodiscard]] in libstdc++ (C++17 on): the compiler
// already warns (-Wunused-result), so the check stays quiet.
void async_nodiscard() { std::async([] {}); }
