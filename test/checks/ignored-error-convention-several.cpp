// A drop of several dismissible kinds is reported only when every one of
// their options is on: with ReportTeardown on and
// ReportConventionallyIgnored off, a destructor's drop of a callee the code
// drops by convention is not reported; a destructor's drop of a callee
// the code checks is (a teardown note).
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportTeardown: true}}" -- -std=c++14
class Status {
public:
  bool ok() const { return msg_ == nullptr; }

private:
  const char *msg_ = nullptr;
};

Status Release();
Status Send();

struct Conn {
  ~Conn() { Release(); }
};
void releaseAll() { Release(); }

struct Session {
  ~Session() {
    Send(); // CHECK-WARN: error result of type 'Status' returned by 'Send' is discarded
    // CHECK-NOTE@-1: test the result
  }
};
Status sendOne() { return Send(); }
bool sendTwo() { return Send().ok(); }
