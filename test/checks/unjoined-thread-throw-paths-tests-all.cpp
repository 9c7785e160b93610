// ReportThrowPaths: all reports the threads that an exception leaving a test
// case destroys while joinable (unjoined-thread-throw-paths-tests.cpp), as a
// failed test assertion's path: a note in pitfall-scan's report.
// RUN: %check_tidy %s pitfall-unjoined-thread -config="{CheckOptions: {pitfall-unjoined-thread.ReportThrowPaths: all}}" -- -std=c++17 -isystem %S/Inputs/test-frameworks
// RUN: %scan_one %s pitfall-unjoined-thread --option pitfall-unjoined-thread.ReportThrowPaths=all \
// RUN:   -- -std=c++17 -isystem %S/Inputs/test-frameworks | FileCheck %s --check-prefix=SCAN
// By default, the same code has no finding:
// RUN: %scan_one %s pitfall-unjoined-thread -- -std=c++17 -isystem %S/Inputs/test-frameworks \
// RUN:   | FileCheck %s --allow-empty --check-prefix=DEFAULT
// DEFAULT-NOT: warning:
// DEFAULT-NOT: note:
#include <boost_test_shape.h>
#include <gtest_shape.h>
#include <thread>

void serve();
void request();

TEST(Server, answers) {
  std::thread server(serve); // CHECK-NOTE: thread 'server' started here
  request(); // CHECK-WARN: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
  // SCAN: tests-all.cpp:[[@LINE-1]]:3: note: thread 'server' is destroyed while joinable
  // CHECK-NOTE@-2: join or detach 'server' before this point
  server.join();
}

BOOST_AUTO_TEST_CASE(answers_once) {
  std::thread server(serve); // CHECK-NOTE: thread 'server' started here
  request(); // CHECK-WARN: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
  // SCAN: tests-all.cpp:[[@LINE-1]]:3: note: thread 'server' is destroyed while joinable
  // CHECK-NOTE@-2: join or detach 'server' before this point
  server.join();
}
