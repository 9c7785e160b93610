// A test body's local captured by reference by a lambda stored in a member
// of the test's fixture object (GoogleTest's TEST_F): the framework destroys
// the fixture right after the body, so the lambda does not outlive what it
// refers to in any call after the body. Not reported by default
// (ReportStoredInTestFixtures; -report.cpp reports them). Reported: the same
// lambda stored in a global object, run by a thread the fixture keeps, or
// stored in a member outside a test case.
// RUN: %check_tidy %s pitfall-loop-capture-by-reference -- -std=c++17 -isystem %S/Inputs/test-frameworks
#include <functional>
#include <gtest_shape.h>
#include <map>
#include <string>
#include <thread>

class Dispatcher {
public:
  void bind(const std::string &Name, std::function<void()> F) {
    Funcs[Name] = std::move(F);
  }
  void call(const std::string &Name) { Funcs[Name](); }

private:
  std::map<std::string, std::function<void()>> Funcs;
};

class DispatcherTest : public testing::Test {
protected:
  Dispatcher D;
  std::function<void()> OnDone;
  std::thread Worker;
};

Dispatcher Registry; // lives as long as the program

TEST_F(DispatcherTest, CallsBound) {
  int Calls = 0;
  D.bind("inc", [&Calls] { ++Calls; }); // dismissible
  OnDone = [&] { ++Calls; };           // dismissible
  D.call("inc");
  OnDone();
}

TEST_F(DispatcherTest, Global) {
  int Calls = 0;
  Registry.bind("inc", [&Calls] { ++Calls; }); // CHECK-WARN: 'Calls' is captured by reference in a lambda that is stored in 'Registry'; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@-1: stored here
  Registry.call("inc");
}

TEST_F(DispatcherTest, Thread) {
  int Calls = 0;
  Worker = std::thread([&Calls] { ++Calls; }); // CHECK-WARN: 'Calls' is captured by reference in a lambda that runs on a thread; it is destroyed when the function returns (dangling reference)
  // CHECK-NOTE@-1: thread started here
  // CHECK-NOTE@-2: the thread is stored in member 'Worker' here, beyond the call
}

// Not a test case: the object outlives the call.
class Server {
public:
  void start() {
    int Hits = 0;
    D.bind("hit", [&Hits] { ++Hits; }); // CHECK-WARN: 'Hits' is captured by reference in a lambda that is stored in member 'D'; it is destroyed when the function returns (dangling reference)
    // CHECK-NOTE@-1: stored here
  }

private:
  Dispatcher D;
};
