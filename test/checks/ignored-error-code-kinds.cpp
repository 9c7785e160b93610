// Errors dropped in test code and in example code, decided by what the code
// is: test code (a test case, its fixtures, a function of a test file, a
// file of the TestPaths: tests/unit_test.h, a test of the project's own
// framework) follows ReportInTests; example code (a file of the
// ExamplePaths: examples/demo.h, sample_nodes/dummy_nodes.h) follows
// ReportInExamples. Both off by default, notes when on. Production code a
// test or an example calls (src/server.h) stays a warning.
// The lit harness turns the path conventions off (the suite lives under
// test/): the first run shows them off, the others set them per check.
// RUN: %scan_one %s pitfall-ignored-error --header-filter code-kinds -- -std=c++17 \
// RUN:   -isystem %S/Inputs/test-frameworks -I %S/Inputs/code-kinds \
// RUN:   | FileCheck %s --check-prefixes=CHECK,NOPATHS --implicit-check-not="[pitfall-ignored-error]"
// RUN: %scan_one %s pitfall-ignored-error --header-filter code-kinds \
// RUN:   --option "pitfall-ignored-error.TestPaths=tests;*_test.*" \
// RUN:   --option "pitfall-ignored-error.ExamplePaths=examples;sample_*" -- -std=c++17 \
// RUN:   -isystem %S/Inputs/test-frameworks -I %S/Inputs/code-kinds \
// RUN:   | FileCheck %s --check-prefixes=CHECK --implicit-check-not="[pitfall-ignored-error]"
// RUN: %scan_one %s pitfall-ignored-error --header-filter code-kinds \
// RUN:   --option "pitfall-ignored-error.TestPaths=tests;*_test.*" \
// RUN:   --option "pitfall-ignored-error.ExamplePaths=examples;sample_*" \
// RUN:   --option pitfall-ignored-error.ReportInTests=true \
// RUN:   --option pitfall-ignored-error.ReportInExamples=true -- -std=c++17 \
// RUN:   -isystem %S/Inputs/test-frameworks -I %S/Inputs/code-kinds \
// RUN:   | FileCheck %s --check-prefixes=CHECK,REPORT --implicit-check-not="[pitfall-ignored-error]"
#include <gtest_shape.h>

#include "examples/demo.h"
#include "sample_nodes/dummy_nodes.h"
#include "tests/unit_test.h"

// Production code: a warning whoever calls it.
// CHECK-DAG: src/server.h:16:26: warning: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
// A test of the project's own framework.
// NOPATHS-DAG: tests/unit_test.h:25:18: warning: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
// REPORT-DAG: tests/unit_test.h:25:18: note: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
// Examples and samples.
// NOPATHS-DAG: examples/demo.h:6:34: warning: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
// REPORT-DAG: examples/demo.h:6:34: note: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
// NOPATHS-DAG: sample_nodes/dummy_nodes.h:5:27: warning: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
// REPORT-DAG: sample_nodes/dummy_nodes.h:5:27: note: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]

// A handler of the test file the test registers: test code.
void onEcho(int port) {
  listen(port);
  // REPORT-DAG: code-kinds.cpp:[[@LINE-1]]:3: note: error result of type 'std::error_code' returned by 'listen' is discarded [pitfall-ignored-error]
}

void registerHandler(void (*)(int));

TEST(Server, echoes) {
  registerHandler(onEcho);
  openPort();
  runExampleServer();
  dummyNode();
}
