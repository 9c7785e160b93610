// A test of the project's own framework (no test case macro), in a tests/
// directory: test code by its path (TestPaths).
#pragma once
#include "../src/server.h"

class UnitTest {
public:
  virtual ~UnitTest() = default;
  virtual void onRun() = 0;
};

class ConditionVariableTest : public UnitTest {
public:
  void onRun() override {
    std::thread server(serve);
    request();
    server.join();
  }
  void onRunEarly(bool ready) {
    std::thread server(serve);
    if (!ready)
      return;
    server.join();
  }
  void setUp() { listen(8080); }
};
