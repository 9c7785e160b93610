// The project's convention is learnt from the code that uses the project's
// API as the project does: a test file's node classes, handlers and helpers
// count, only a test case's own body and its fixture's members (which
// assert on what they test and drop their set-up's results) do not. Here
// the test file's nodes drop setOutput at three sites: the library's one
// drop (node.h) follows the convention and is not reported; record is
// dropped only in test cases' bodies: the library's drop of it stays.
// RUN: %scan_one %s pitfall-ignored-error --header-filter convention-test-file -- -std=c++17 \
// RUN:   -isystem %S/Inputs/test-frameworks -I %S/Inputs/convention-test-file \
// RUN:   | FileCheck %s --implicit-check-not="[pitfall-ignored-error]"
#include <gtest_shape.h>

#include "node.h"

// CHECK: node.h:38:5: warning: error result of type 'Result' returned by 'record' is discarded [pitfall-ignored-error]

class AlwaysOne : public Node {
public:
  int tick() override {
    setOutput("value", 1);
    return 1;
  }
};

class Counter : public Node {
public:
  int tick() override {
    setOutput("count", ++n_);
    setOutput("last", n_);
    return n_;
  }

private:
  int n_ = 0;
};

TEST(Loop, counts) {
  LoopNode loop;
  loop.record("start");
  loop.record("again");
  loop.record("end");
  if (loop.tick() != 1)
    throw 1;
}
