// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.AllowCastToVoid: false, pitfall-ignored-error.StatusHeuristic: false, pitfall-ignored-error.ErrorTypes: '::app::Outcome', pitfall-ignored-error.CheckedFunctions: '::app::do_io;close;sem_*'}}" -- -std=c++20
// The options: AllowCastToVoid off, the status heuristic off, a custom
// ErrorTypes and CheckedFunctions list (which replaces the defaults).
#include <semaphore.h>
#include <system_error>
#include <tuple>
#include <unistd.h>

namespace app {
template <class T> struct Outcome {
  T value;
};
Outcome<int> fetch(); // CHECK-FIX: [[nodiscard]] Outcome<int> fetch();
// CHECK-NOTE@-1: add [[nodiscard]] to 'fetch'
int do_io(int fd); // CHECK-FIX: [[nodiscard]] int do_io(int fd);
// CHECK-NOTE@-1: add [[nodiscard]] to 'do_io'
struct Status {
  bool ok() const;
};
Status sync();
} // namespace app

std::error_code save(const char *path); // CHECK-FIX: [[nodiscard]] std::error_code save(const char *path);
// CHECK-NOTE@-1: add [[nodiscard]] to 'save'

void with_options(int fd, sem_t *sem) {
  app::fetch(); // CHECK-WARN: error result of type 'Outcome<int>' returned by 'fetch' is discarded
  app::do_io(fd); // CHECK-WARN: failure status returned by 'do_io' is discarded
  close(fd); // CHECK-WARN: failure status returned by 'close' is discarded
  // CHECK-NOTE@-1: compare the result with the function's failure value, pass it on, or assign it to std::ignore to drop it on purpose
  sem_wait(sem); // CHECK-WARN: failure status returned by 'sem_wait' is discarded
  // CHECK-NOTE@-1: assign it to std::ignore
  sem_post(sem); // matches 'sem_*', but fails only on misuse (ReportMisuseOnlyResults)
  write(fd, "x", 1); // not in the configured list
  app::sync(); // the status heuristic is off
  (void)save("a"); // CHECK-WARN: returned by 'save' is discarded
  std::ignore = save("b");
  std::ignore = close(fd);
}
