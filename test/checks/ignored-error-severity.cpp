// The severity of each finding, as pitfall-scan reports it: an error dropped
// at teardown or the result of a best-effort call is a note (reported only
// with ReportTeardown / ReportBestEffort); any other dropped error a warning.
// RUN: %scan_one %s pitfall-ignored-error --option pitfall-ignored-error.ReportTeardown=true \
// RUN:   --option pitfall-ignored-error.ReportBestEffort=true -- -std=c++20 \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-ignored-error]"
// Without the options, neither note is reported.
// RUN: %scan_one %s pitfall-ignored-error -- -std=c++20 \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not="[pitfall-ignored-error]"
#include <filesystem>
#include <pthread.h>
#include <system_error>

namespace fs = std::filesystem;

class TempDir {
public:
  explicit TempDir(fs::path dir) : dir_(std::move(dir)) {}
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    // CHECK: severity.cpp:[[@LINE-1]]:5: note: error stored in 'ec' by 'remove_all' is never read [pitfall-ignored-error]
  }
  void refresh() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    // CHECK: severity.cpp:[[@LINE-1]]:5: warning: error stored in 'ec' by 'remove_all' is never read [pitfall-ignored-error]
    // DEFAULT: severity.cpp:[[@LINE-2]]:5: warning: error stored in 'ec' by 'remove_all' is never read [pitfall-ignored-error]
  }

private:
  fs::path dir_;
};

void name(pthread_t t) {
  pthread_setname_np(t, "worker");
  // CHECK: severity.cpp:[[@LINE-1]]:3: note: failure status returned by 'pthread_setname_np' is discarded [pitfall-ignored-error]
}
