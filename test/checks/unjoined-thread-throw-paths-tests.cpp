// An exception that leaves a test case's function (GoogleTest's TEST,
// Boost.Test's BOOST_AUTO_TEST_CASE, doctest's and Catch2's TEST_CASE: the
// TestCaseMacros) is caught by the test framework and fails the test: a
// thread destroyed while joinable on its way out terminates a test that
// fails either way. Reported with ReportThrowPaths: all only
// (unjoined-thread-throw-paths-tests-all.cpp); the normal paths of a test
// case, and exceptions the test itself catches, are reported. The other
// functions of a test file are test code too.
// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++17 -isystem %S/Inputs/test-frameworks
#include <boost_test_shape.h>
#include <gtest_shape.h>
#include <thread>

void serve();
void request();
bool ready() noexcept;
int registerTest(void (*)(), const char *);

// A framework bundled with the project, not a system header: the shape of
// doctest's TEST_CASE, a static function named after the line.
#define DOCTEST_CAT_(a, b) a##b
#define DOCTEST_CAT(a, b) DOCTEST_CAT_(a, b)
#define DOCTEST_ANON_FUNC DOCTEST_CAT(doctest_anon_func_, __LINE__)
#define DOCTEST_REGISTER_FUNCTION(f, name)                                     \
  static void f();                                                             \
  static const int DOCTEST_CAT(f, _registered) = registerTest(f, name);        \
  static void f()
#define TEST_CASE(name) DOCTEST_REGISTER_FUNCTION(DOCTEST_ANON_FUNC, name)

TEST(Server, answers) {
  std::thread server(serve);
  request();
  server.join();
}

struct ServerTest : testing::Test {};
TEST_F(ServerTest, answersTwice) {
  std::thread server(serve);
  request();
  request();
  server.join();
}

BOOST_AUTO_TEST_CASE(answers_once) {
  std::thread server(serve);
  request();
  server.join();
}

struct Fixture {};
BOOST_FIXTURE_TEST_CASE(answers_with_fixture, Fixture) {
  std::thread server(serve);
  request();
  server.join();
}

TEST_CASE("answers") {
  std::thread server(serve);
  request();
  server.join();
}

// A normal path of a test case is a thread destroyed while joinable on every
// run that takes it.
TEST(Server, returnsEarly) {
  std::thread server(serve); // CHECK-NOTE: thread 'server' started here
  if (!ready())
    return;
  // CHECK-WARN@-1: thread 'server' is destroyed while joinable (std::terminate is called) when the function returns here
  // CHECK-NOTE@-2: join or detach 'server' before this point
  server.join();
}

// An exception the test catches to go on: the thread's destruction
// terminates the test program instead.
BOOST_AUTO_TEST_CASE(retries) {
  try {
    std::thread server(serve); // CHECK-NOTE: thread 'server' started here
    request(); // CHECK-WARN: thread 'server' is destroyed while joinable (std::terminate is called) if this call throws
    // CHECK-NOTE@-1: join or detach 'server' before this point
    server.join();
  } catch (...) {
  }
}

// A helper of the tests defined in the test file is test code too (its
// callers are the tests); production code a test calls, in another file,
// stays reported (unjoined-thread-throw-paths-test-code.cpp).
void startAndRequest() {
  std::thread server(serve);
  request();
  server.join();
}

// So is a function that another macro defines in the test file.
#define HANDLER(name) void name()
HANDLER(onRequest) {
  std::thread server(serve);
  request();
  server.join();
}
