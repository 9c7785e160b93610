// An error dropped in test code is not reported by default (ReportInTests;
// ignored-error-tests-report.cpp turns it on): the function of a test case
// (TestCaseMacros: TEST, TEST_F, ...), lambdas written in it, the member
// functions of the test's fixture classes — the bases of the class a
// TEST_F declares that the user named in the macro, and their bases, not
// the framework's — and every function defined in the main file of a
// translation unit that defines a test case: its helpers, handlers, classes
// and main are the test's too. A test's set-up writes and clean-ups are
// checked by its assertions, or do not matter. Reported: production code a
// test calls, in another file (ignored-error-code-kinds.cpp), and the same
// calls in a file that defines no test case (ignored-error.cpp).
// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17 -isystem %S/Inputs/test-frameworks
#include <gtest_shape.h>
#include <string>

class Status {
public:
  static Status IOError(const char *m) { return Status(m); }
  bool ok() const { return msg_ == nullptr; }

private:
  explicit Status(const char *m) : msg_(m) {}
  const char *msg_;
};

Status Put(const std::string &k);
Status Remove(const std::string &k);

// A base class of the fixture: its members are the test's too.
class Seeder {
protected:
  void seed() {
    Put("seed"); // test code: not reported
  }
};

class DBTest : public testing::Test, public Seeder {
protected:
  void Fill(int n) {
    for (int i = 0; i < n; ++i)
      Put(std::to_string(i)); // test code: not reported
  }
  void Reopen() {
    Status s = Put("reopen"); // test code: not reported
  }
  ~DBTest() override {
    Remove("db"); // a destructor: teardown, not reported either way
  }
};

TEST_F(DBTest, Basic) {
  Put("k"); // test code: not reported
  Fill(3);
  seed();
  auto again = [&] {
    Put("again"); // test code: not reported
  };
  again();
}

TEST(Plain, Remove) {
  Remove("file"); // test code: not reported
}

// ------------------------- the test file's other functions: test code too

// A class no test case derives from.
class Loader {
public:
  void load() {
    Put("load"); // test code: not reported
  }
};

// A helper of the file that a non-test function calls.
void prepare() {
  Put("prepare"); // test code: not reported
}

int main() {
  Remove("leftover"); // test code: not reported
  prepare();
  Loader().load();
}
