// The flow layer under pitfall-ignored-error: an error out-parameter is
// judged by the callee's summary (a helper that reads its error_code & is
// passed the error, one that overwrites it stores a new one), forwarding
// references and tuple builders are not out-parameters, templates are
// analysed in their instantiations (findings once, at the pattern),
// exceptional edges reach the handlers that read the error, and calls
// through callables are named by what they run.
// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++20
#include <filesystem>
#include <functional>
#include <future>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <utility>

namespace fs = std::filesystem;

void log(const std::error_code &ec);
void mayThrow();

// ------------------------------------------------ helpers (summaries)

// Overwrite their parameter on every path, two levels down to the library.
void remove_quietly(const fs::path &p, std::error_code &ec) {
  fs::remove_all(p, ec);
}
void remove_via_helper(const fs::path &p, std::error_code &ec) {
  remove_quietly(p, ec);
}
// Overwrites its parameter first, then reads its own value.
void retry_remove(const fs::path &p, std::error_code &ec) {
  fs::remove_all(p, ec);
  if (ec)
    log(ec);
}
// Read their parameter, two levels down, before clearing it.
void log_failure(const std::error_code &ec) {
  if (ec)
    log(ec);
}
void report_and_clear(std::error_code &ec) {
  log_failure(ec);
  ec.clear();
}
void check_twice(std::error_code &ec) { report_and_clear(ec); }
// Writes its parameter on some paths only, without reading it.
void fail_if(bool bad, std::error_code &ec) {
  if (bad)
    ec = std::make_error_code(std::errc::io_error);
}
// Clears it the way asio's error::clear does: reading the category only is
// no read of the error.
void clear_error(std::error_code &ec) { ec.assign(0, ec.category()); }
// Takes an error_code & and does nothing with it.
void ignore_error(std::error_code &) {}

// A chain deeper than the summaries follow: the declaration's word is
// taken (an out-parameter is written).
void level6(const fs::path &p, std::error_code &ec) { fs::remove_all(p, ec); }
void level5(const fs::path &p, std::error_code &ec) { level6(p, ec); }
void level4(const fs::path &p, std::error_code &ec) { level5(p, ec); }
void level3(const fs::path &p, std::error_code &ec) { level4(p, ec); }
void level2(const fs::path &p, std::error_code &ec) { level3(p, ec); }
void level1(const fs::path &p, std::error_code &ec) { level2(p, ec); }

void deep_helper_overwrites(const fs::path &p) {
  std::error_code ec;
  level1(p, ec); // CHECK-WARN: error stored in 'ec' by 'level1' is never read
}

void helper_overwrites(const fs::path &p) {
  std::error_code ec;
  remove_via_helper(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_via_helper' is never read
}

void helper_overwrites_earlier_store(const fs::path &a, const fs::path &b) {
  std::error_code ec;
  fs::remove_all(a, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is overwritten before it is read
  retry_remove(b, ec); // CHECK-NOTE: 'ec' is overwritten here
  if (ec)
    return;
}

void cleared_by_helper(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is overwritten before it is read
  clear_error(ec); // CHECK-NOTE: 'ec' is overwritten here
  if (ec)
    log(ec);
}

void helper_may_write(bool bad) {
  std::error_code ec;
  fail_if(bad, ec); // CHECK-WARN: error stored in 'ec' by 'fail_if' is never read
}

void helper_ignores_it(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  ignore_error(ec);
}

// Negative: a helper that reads the error is passed it.
void helper_reads(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  report_and_clear(ec);
}

void helper_reads_two_levels_down(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  check_twice(ec);
}

// Negative: a helper that writes on some paths only may leave the earlier
// error in place.
void helper_may_keep_earlier_store(const fs::path &p, bool bad) {
  std::error_code ec;
  fs::remove_all(p, ec);
  fail_if(bad, ec);
  if (ec)
    log(ec);
}

// ------------------------------------------------ not out-parameters

template <class T> void sink(T &&value);
template <class... T> void sink_all(T &&...values);

// Negative: a forwarding reference, std::make_pair and std::tuple take the
// error to read it, whatever type the instantiation gives their parameter.
void forwarded(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  sink(ec);
  std::error_code ec2;
  fs::remove_all(p, ec2);
  auto pair = std::make_pair(ec2, 1);
  (void)pair;
  std::error_code ec3;
  fs::remove_all(p, ec3);
  std::tuple<std::error_code, int> t(ec3, 2);
  (void)t;
  std::error_code ec4;
  fs::remove_all(p, ec4);
  sink_all(1, ec4);
}

// A template whose declaration writes an error_code & parameter has an
// out-parameter.
template <class Key> void fetch(Key key, std::error_code &ec);
void template_out_parameter() {
  std::error_code ec;
  fetch(1, ec); // CHECK-WARN: error stored in 'ec' by 'fetch' is never read
}

// ------------------------------------------------ templates

std::error_code store(int value); // CHECK-FIX: [[nodiscard]] std::error_code store(int value);
// CHECK-NOTE@-1: add [[nodiscard]] to 'store'
void store(double value);

// Which store() the call selects is known in the instantiations only: two of
// them drop an error, one does not; one finding, at the pattern.
template <class T> void save_value(const T &v) {
  store(v); // CHECK-WARN: error result of type 'std::error_code' returned by 'store' is discarded
}

template <class T> void save_and_forget(const T &v) {
  auto ec = store(v); // CHECK-WARN: error stored in 'ec' by 'store' is never read
}

template <class T> void save_checked(const T &v) {
  if (auto ec = store(v))
    log(ec);
}

void use_templates() {
  save_value(1);
  save_value(short(2));
  save_value(1.5);
  save_and_forget(1);
  save_and_forget(short(2));
  save_checked(1);
}

// Never instantiated: analysed as written.
template <class T> void never_instantiated(const fs::path &p, T) {
  std::error_code ec;
  fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
}

// Never instantiated, and what the std::function holds depends on F.
template <class F> void flush_dependent(F f) {
  std::function<std::error_code()> fn(f);
  if (fn())
    return;
}

// A member of a class template, instantiated twice.
template <class T> struct Cache {
  void drop(const fs::path &p) {
    std::error_code ec;
    fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  }
};

void use_cache(const fs::path &p) {
  Cache<int>().drop(p);
  Cache<long>().drop(p);
}

// ------------------------------------------------ exceptional edges

// Negative: if mayThrow() throws, the handler reads the error.
void read_in_handler(const fs::path &p) {
  std::error_code ec;
  try {
    fs::remove_all(p, ec);
    mayThrow();
    return;
  } catch (...) {
    log(ec);
  }
}

void read_in_outer_handler(const fs::path &p) {
  std::error_code ec;
  try {
    try {
      fs::remove_all(p, ec);
      mayThrow();
      return;
    } catch (const std::invalid_argument &) {
      return;
    }
  } catch (...) {
    log(ec);
  }
}

// Neither the normal path nor the handler reads it.
void handler_does_not_read(const fs::path &p) {
  std::error_code ec;
  try {
    fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
    mayThrow();
  } catch (const std::exception &) {
    return;
  }
}

// The handler's read is for exceptions thrown before the store.
void store_after_the_throw(const fs::path &p) {
  std::error_code ec;
  try {
    mayThrow();
    fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  } catch (...) {
    log(ec);
  }
}

// ------------------------------------------------ callables

std::error_code flush_all();
struct Db {
  std::error_code sync();
};

void called_through_callables(Db &db) {
  std::function<std::error_code()> flush = flush_all;
  flush(); // CHECK-WARN: error result of type 'std::error_code' returned by 'flush_all' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec)), pass it on, or cast it to 'void' to drop it on purpose
  std::error_code (Db::*op)() = &Db::sync;
  (db.*op)(); // CHECK-WARN: error result of type 'std::error_code' returned by 'sync' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec))
  std::invoke(&Db::sync, db); // CHECK-WARN: error result of type 'std::error_code' returned by 'sync' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec))
  auto ec = flush(); // CHECK-WARN: error stored in 'ec' by 'flush_all' is never read
}

void async_with_stored_callable() {
  auto job = [] { return flush_all(); };
  auto done = std::async(std::launch::async, job);
  done.get(); // CHECK-WARN: error result of type 'std::error_code' returned by 'get' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec))
}

void packaged(std::packaged_task<std::error_code()> &task) {
  task();
  task.get_future().get(); // CHECK-WARN: error result of type 'std::error_code' returned by 'get' is discarded
  // CHECK-NOTE@-1: test the error code (if (ec))
}

// Negative: the callables' results are read or dropped on purpose.
std::error_code callables_read(Db &db) {
  std::function<std::error_code()> flush = flush_all;
  if (flush())
    return {};
  std::error_code (Db::*op)() = &Db::sync;
  (void)(db.*op)();
  auto job = [] { return flush_all(); };
  auto done = std::async(std::launch::async, job);
  if (auto ec = done.get())
    return ec;
  return std::invoke(&Db::sync, db);
}
