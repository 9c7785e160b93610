// The severity of each finding, as pitfall-scan reports it (clang-tidy shows
// them all as warnings): an error when the thread is joinable on every path
// that reaches the place, a warning when on some, or on a user exception's
// path; a note on the return of a failed test assertion (reported with
// ReportThrowPaths=all). A thread member that nothing of its class joins is
// an error; one that a member function joins (stop()) a warning.
// RUN: %scan_one %s pitfall-unjoined-thread --option pitfall-unjoined-thread.ReportThrowPaths=all -- -std=c++17 \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-unjoined-thread]"
#include <thread>

void work();
void mayThrow();
bool check() noexcept;

void everyPath() {
  std::thread t(work);
}
// CHECK: severity.cpp:[[@LINE-1]]:1: error: thread 't' is destroyed while joinable {{.*}} [pitfall-unjoined-thread]

void somePaths(bool c) {
  std::thread t(work);
  if (c)
    t.join();
}
// CHECK: severity.cpp:[[@LINE-1]]:1: warning: thread 't' is destroyed while joinable {{.*}} [pitfall-unjoined-thread]

// Every path that takes this return leaves the thread joinable.
void earlyReturn(bool c) {
  std::thread t(work);
  if (c)
    return;
  // CHECK: severity.cpp:[[@LINE-1]]:5: error: thread 't' is destroyed while joinable {{.*}} when the function returns here {{.*}}[pitfall-unjoined-thread]
  t.join();
}

void reassigned() {
  std::thread t(work);
  t = std::thread(work);
  // CHECK: severity.cpp:[[@LINE-1]]:3: error: thread 't' is assigned to while it may be joinable {{.*}}[pitfall-unjoined-thread]
  t.join();
}

void reassignedOnOnePath(bool b) {
  std::thread t;
  if (b)
    t = std::thread(work);
  t = std::thread(work);
  // CHECK: severity.cpp:[[@LINE-1]]:3: warning: thread 't' is assigned to while it may be joinable {{.*}}[pitfall-unjoined-thread]
  t.join();
}

void userException() {
  std::thread t(work);
  mayThrow();
  // CHECK: severity.cpp:[[@LINE-1]]:3: warning: thread 't' is destroyed while joinable {{.*}} if this call throws {{.*}}[pitfall-unjoined-thread]
  t.join();
}

#define GTEST_FATAL_FAILURE_ return
#define ASSERT_TRUE(c) if (!(c)) GTEST_FATAL_FAILURE_

void failedAssertion() {
  std::thread t(work);
  ASSERT_TRUE(check());
  // CHECK: severity.cpp:[[@LINE-1]]:3: note: thread 't' is destroyed while joinable {{.*}} when the function returns here {{.*}}[pitfall-unjoined-thread]
  t.join();
}

class NeverJoined {
// CHECK: severity.cpp:[[@LINE-1]]:7: error: the implicit destructor of 'NeverJoined' does not join or detach thread member 'worker_' {{.*}}[pitfall-unjoined-thread]
public:
  NeverJoined() : worker_(work) {}

private:
  std::thread worker_;
};

class JoinedByStop {
// CHECK: severity.cpp:[[@LINE-1]]:7: warning: the implicit destructor of 'JoinedByStop' does not join or detach thread member 'worker_' {{.*}}[pitfall-unjoined-thread]
public:
  JoinedByStop() : worker_(work) {}
  void stop() { worker_.join(); }

private:
  std::thread worker_;
};

// A member template may join it: not certain.
class JoinedByTemplate {
// CHECK: severity.cpp:[[@LINE-1]]:7: warning: the implicit destructor of 'JoinedByTemplate' does not join or detach thread member 'worker_' {{.*}}[pitfall-unjoined-thread]
public:
  JoinedByTemplate() : worker_(work) {}
  template <typename F> void stopThen(F f) {
    worker_.join();
    f();
  }

private:
  std::thread worker_;
};
