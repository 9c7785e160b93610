// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++20
// Dismissible by default (issue 16): errors dropped at teardown (in a
// destructor, or in a function named in TeardownFunctions: close, stop, ...)
// where the error_code overload is used not to throw, and the result of a
// best-effort call (BestEffortFunctions: pthread_setname_np,
// pthread_setaffinity_np). ignored-error-teardown-report.cpp is the same
// code with ReportTeardown and ReportBestEffort on.
#include <filesystem>
#include <pthread.h>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

class TempDir {
public:
  explicit TempDir(fs::path dir) : dir_(std::move(dir)) {}
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec); // dismissible: not reported by default
  }
  void close() {
    std::error_code ec;
    fs::remove_all(dir_, ec); // dismissible: not reported by default
  }
  void stop(std::error_code &ec) {
    fs::remove_all(dir_ / "a", ec); // dismissible: not reported by default
    fs::remove_all(dir_ / "b", ec);
  }
  // Not teardown: reported either way.
  void refresh() {
    std::error_code ec;
    fs::remove_all(dir_, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  }

private:
  fs::path dir_;
};

void *run(void *);

void start_worker(pthread_t &t) {
  if (pthread_create(&t, nullptr, run, nullptr) != 0)
    return;
  pthread_setname_np(t, "worker"); // dismissible: not reported by default
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  pthread_setaffinity_np(t, sizeof cpus, &cpus); // dismissible: not reported by default
  pthread_detach(t); // CHECK-WARN: failure status returned by 'pthread_detach' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
}

// A thread's name read for a log line: the buffer is tested, a failure
// leaves it empty.
std::string thread_name() {
  std::string name(32, '\0');
  pthread_getname_np(pthread_self(), name.data(), name.size()); // dismissible: not reported by default
  if (name[0])
    return name.c_str();
  return "thread";
}
