// A result dropped where the function is already failing: every path after
// the drop ends in a throw, a rethrow or a call that does not return
// (`[[noreturn]]`: abort, exit, std::terminate, the program's own), so the
// error that matters is the one propagated (a signal mask restored in
// `catch (...)` before `throw;`). Decided on the control-flow graph, not by
// the callee's name: not reported by default, reported as a note with
// ReportOnFailurePaths. A drop followed on some path by a normal return, or
// by a call that returns (`kill(getpid(), sig)` is not `[[noreturn]]`),
// stays a warning.
// RUN: %scan_one %s pitfall-ignored-error -- -std=c++17 \
// RUN:   | FileCheck %s --check-prefix=DEFAULT --implicit-check-not="[pitfall-ignored-error]"
// RUN: %scan_one %s pitfall-ignored-error \
// RUN:   --option pitfall-ignored-error.ReportOnFailurePaths=true -- -std=c++17 \
// RUN:   | FileCheck %s --check-prefix=REPORT --implicit-check-not="[pitfall-ignored-error]"
#include <csignal>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <unistd.h>

void work();
bool retry();
[[noreturn]] void fatal(const char *why);
void log(const char *what);

// The code base checks these callees' results more often than it drops
// them: no convention hides their drops (ReportConventionallyIgnored).
int checked(int fd, int sig, const struct sigaction *a) {
  return fsync(fd) + fsync(fd) + fsync(fd) + fsync(fd) + fsync(fd) +
         fsync(fd) + sigaction(sig, a, nullptr) + sigaction(sig, a, nullptr) +
         sigaction(sig, a, nullptr);
}

// ---------------------------------------------------------------- negatives

// quill's backend start: the mask is restored, then the exception goes on.
void startBackend() {
  sigset_t all, old;
  sigfillset(&all);
  if (sigprocmask(SIG_SETMASK, &all, &old) != 0)
    throw std::runtime_error("sigprocmask");
  try {
    work();
  } catch (...) {
    sigprocmask(SIG_SETMASK, &old, nullptr);
    // REPORT: failure-paths.cpp:[[@LINE-1]]:5: note: failure status returned by 'sigprocmask' is discarded [pitfall-ignored-error]
    throw;
  }
  if (sigprocmask(SIG_SETMASK, &old, nullptr) != 0)
    throw std::runtime_error("sigprocmask");
}

// A crash handler restoring the default action before abort().
void onCrash(int sig) {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, nullptr);
  // REPORT: failure-paths.cpp:[[@LINE-1]]:3: note: failure status returned by 'sigaction' is discarded [pitfall-ignored-error]
  std::abort();
}

// Before the program's own [[noreturn]] function, on both branches.
void giveUp(int fd, bool verbose) {
  fsync(fd);
  // REPORT: failure-paths.cpp:[[@LINE-1]]:3: note: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
  if (verbose)
    fatal("giving up, verbosely");
  fatal("giving up");
}

// Before a throw of a new exception, after a branch that logs.
void rollBack(int fd, bool quiet) {
  fsync(fd);
  // REPORT: failure-paths.cpp:[[@LINE-1]]:3: note: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
  if (!quiet)
    log("rolling back");
  throw std::runtime_error("rolled back");
}

// ---------------------------------------------------------------- positives

// kill() returns: the function goes on to return normally.
void reraise(int sig) {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, nullptr);
  // DEFAULT: failure-paths.cpp:[[@LINE-1]]:3: warning: failure status returned by 'sigaction' is discarded [pitfall-ignored-error]
  // REPORT: failure-paths.cpp:[[@LINE-2]]:3: warning: failure status returned by 'sigaction' is discarded [pitfall-ignored-error]
  kill(getpid(), sig);
}

// A normal return on one path after the drop.
void maybeRetry(int fd) {
  fsync(fd);
  // DEFAULT: failure-paths.cpp:[[@LINE-1]]:3: warning: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
  // REPORT: failure-paths.cpp:[[@LINE-2]]:3: warning: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
  if (retry())
    return;
  throw std::runtime_error("no retry");
}

// A handler that swallows the exception: the function goes on.
void swallow() {
  sigset_t all, old;
  sigfillset(&all);
  if (sigprocmask(SIG_SETMASK, &all, &old) != 0)
    return;
  try {
    work();
  } catch (...) {
    sigprocmask(SIG_SETMASK, &old, nullptr);
    // DEFAULT: failure-paths.cpp:[[@LINE-1]]:5: warning: failure status returned by 'sigprocmask' is discarded [pitfall-ignored-error]
    // REPORT: failure-paths.cpp:[[@LINE-2]]:5: warning: failure status returned by 'sigprocmask' is discarded [pitfall-ignored-error]
  }
}

// A throw the function catches itself, then returns normally.
int recover(int fd) {
  try {
    fsync(fd);
    // DEFAULT: failure-paths.cpp:[[@LINE-1]]:5: warning: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
    // REPORT: failure-paths.cpp:[[@LINE-2]]:5: warning: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
    throw std::runtime_error("closed");
  } catch (const std::exception &) {
    return -1;
  }
}

// A loop that never ends is no failure.
void spin(int fd) {
  fsync(fd);
  // DEFAULT: failure-paths.cpp:[[@LINE-1]]:3: warning: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
  // REPORT: failure-paths.cpp:[[@LINE-2]]:3: warning: failure status returned by 'fsync' is discarded [pitfall-ignored-error]
  for (;;)
    work();
}
