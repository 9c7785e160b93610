// An exception that leaves test code fails the test either way: a thread
// destroyed on its way out is reported only with ReportThrowPaths: all.
// Test code is one notion (FlowContext::isTestCode): a test case's
// function, a member function of its fixture classes (a SetUp helper), a
// function defined in the main file of a translation unit that defines a
// test case, and a function of a file the TestPaths match (a test of the
// project's own framework, tests/unit_test.h here). Still reported: normal
// paths in test code, and production code a test calls (src/server.h),
// examples (examples/demo.h: a crash is a crash).
// The lit harness turns the path conventions off (the suite lives under
// test/); the second run sets TestPaths globally.
// RUN: %scan_one %s pitfall-unjoined-thread --header-filter code-kinds -- -std=c++17 \
// RUN:   -isystem %S/Inputs/test-frameworks -I %S/Inputs/code-kinds \
// RUN:   | FileCheck %s --check-prefixes=CHECK,NOPATHS --implicit-check-not="[pitfall-unjoined-thread]"
// RUN: %scan_one %s pitfall-unjoined-thread --header-filter code-kinds --option TestPaths=tests -- -std=c++17 \
// RUN:   -isystem %S/Inputs/test-frameworks -I %S/Inputs/code-kinds \
// RUN:   | FileCheck %s --check-prefixes=CHECK --implicit-check-not="[pitfall-unjoined-thread]"
#include <gtest_shape.h>
#include <thread>

#include "examples/demo.h"
#include "tests/unit_test.h"

bool ready() noexcept;

// Production code the test calls stays reported.
// CHECK-DAG: src/server.h:12:3: {{warning|error}}: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
// A test of the project's own framework: test code by its path only.
// NOPATHS-DAG: tests/unit_test.h:16:5: {{warning|error}}: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
// Its normal path stays reported.
// CHECK-DAG: tests/unit_test.h:22:7: {{warning|error}}: thread 'server' is destroyed while joinable (std::terminate is called) when the function returns here
// An example's normal path stays reported.
// CHECK-DAG: examples/demo.h:11:5: {{warning|error}}: thread 'worker' is destroyed while joinable (std::terminate is called) when the function returns here

class ServerTest : public testing::Test {
protected:
  // A fixture's set-up helper: test code, its throw path fails the test.
  void startServer() {
    std::thread server(serve);
    request();
    server.join();
  }
  // Its normal path stays reported.
  void startIfReady() {
    std::thread server(serve);
    if (!ready())
      return;
    // CHECK-DAG: throw-paths-test-code.cpp:[[@LINE-1]]:7: {{warning|error}}: thread 'server' is destroyed while joinable (std::terminate is called) when the function returns here
    server.join();
  }
};

// A helper of the test file: test code.
void requestTwice() {
  std::thread server(serve);
  request();
  request();
  server.join();
}

TEST_F(ServerTest, answers) {
  startServer();
  startIfReady();
  requestTwice();
  startAndRequest();
}
