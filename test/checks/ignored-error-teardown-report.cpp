// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportTeardown: true, pitfall-ignored-error.ReportBestEffort: true}}" -- -std=c++20
// ignored-error-teardown.cpp with the dismissible findings turned back on:
// errors dropped at teardown and the results of best-effort calls.
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
    fs::remove_all(dir_, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  }
  void close() {
    std::error_code ec;
    fs::remove_all(dir_, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is never read
  }
  void stop(std::error_code &ec) {
    fs::remove_all(dir_ / "a", ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is overwritten before it is read
    fs::remove_all(dir_ / "b", ec); // CHECK-NOTE: 'ec' is overwritten here
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
  pthread_setname_np(t, "worker"); // CHECK-WARN: failure status returned by 'pthread_setname_np' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  pthread_setaffinity_np(t, sizeof cpus, &cpus); // CHECK-WARN: failure status returned by 'pthread_setaffinity_np' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  pthread_detach(t); // CHECK-WARN: failure status returned by 'pthread_detach' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
}

std::string thread_name() {
  std::string name(32, '\0');
  pthread_getname_np(pthread_self(), name.data(), name.size()); // CHECK-WARN: failure status returned by 'pthread_getname_np' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value
  if (name[0])
    return name.c_str();
  return "thread";
}
