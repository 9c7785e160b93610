// ReportInTests: true reports the errors dropped in test code that
// ignored-error-tests.cpp shows hidden by default (the same code).
// (ReportConventionallyIgnored: this file drops its callees at many call
// sites to test other rules; the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true, pitfall-ignored-error.ReportInTests: true}}" -- -std=c++17 -isystem %S/Inputs/test-frameworks
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

Status Put(const std::string &k); // CHECK-FIX: [[nodiscard]] Status Put(const std::string &k);
// CHECK-NOTE@-1: add [[nodiscard]] to 'Put'
Status Remove(const std::string &k); // CHECK-FIX: [[nodiscard]] Status Remove(const std::string &k);
// CHECK-NOTE@-1: add [[nodiscard]] to 'Remove'

// A base class of the fixture: its members are the test's too.
class Seeder {
protected:
  void seed() {
    Put("seed"); // CHECK-WARN: error result of type 'Status' returned by 'Put' is discarded
  }
};

class DBTest : public testing::Test, public Seeder {
protected:
  void Fill(int n) {
    for (int i = 0; i < n; ++i)
      Put(std::to_string(i)); // CHECK-WARN: error result of type 'Status' returned by 'Put' is discarded
      // CHECK-NOTE@-1: test the result
  }
  void Reopen() {
    Status s = Put("reopen"); // CHECK-WARN: error stored in 's' by 'Put' is never read
  }
  ~DBTest() override {
    Remove("db"); // a destructor: teardown, not reported either way
  }
};

TEST_F(DBTest, Basic) {
  Put("k"); // CHECK-WARN: error result of type 'Status' returned by 'Put' is discarded
  // CHECK-NOTE@-1: test the result
  Fill(3);
  seed();
  auto again = [&] {
    Put("again"); // CHECK-WARN: error result of type 'Status' returned by 'Put' is discarded
    // CHECK-NOTE@-1: test the result
  };
  again();
}

TEST(Plain, Remove) {
  Remove("file"); // CHECK-WARN: error result of type 'Status' returned by 'Remove' is discarded
}

// ------------------------- the test file's other functions: test code too

// A class no test case derives from.
class Loader {
public:
  void load() {
    Put("load"); // CHECK-WARN: error result of type 'Status' returned by 'Put' is discarded
    // CHECK-NOTE@-1: test the result
  }
};

// A helper of the file that a non-test function calls.
void prepare() {
  Put("prepare"); // CHECK-WARN: error result of type 'Status' returned by 'Put' is discarded
  // CHECK-NOTE@-1: test the result
}

int main() {
  Remove("leftover"); // CHECK-WARN: error result of type 'Status' returned by 'Remove' is discarded
  // CHECK-NOTE@-1: test the result
  prepare();
  Loader().load();
}
