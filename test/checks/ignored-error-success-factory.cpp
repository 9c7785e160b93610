// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++17
// A status class's success factory (`static Status OK() { return Status();
// }`) returns a success by construction: a default-constructed object whose
// constructor leaves every member in its null state, and whose own success
// test (ok()) answers true on that state. Storing it over an error that was
// read is no dropped error, and dropping it loses nothing. Decided from the
// bodies, not the name: a factory named OK that can return an error, a
// default state the class's test calls a failure, or a constructor that sets
// a code are still errors.
#include <memory>
#include <string>

class Status {
public:
  Status() noexcept : state_(nullptr) {}
  static Status OK() { return Status(); }
  static Status Corruption(const char *m) { return Status(m); }
  bool ok() const { return state_ == nullptr; }

private:
  explicit Status(const char *m) : state_(m) {}
  const char *state_;
};

// Its default state is empty, which ok() calls success.
class MsgStatus {
public:
  MsgStatus() = default;
  static MsgStatus Success() { return {}; }
  static MsgStatus Fail(const std::string &m) { return MsgStatus(m); }
  bool ok() const { return msg_.empty(); }

private:
  explicit MsgStatus(const std::string &m) : msg_(m) {}
  std::string msg_;
};

// rocksdb's Status: enum codes whose first value is the null state, a test
// that marks the status checked before it reads the code through a getter.
class CheckedStatus {
public:
  enum Code : unsigned char { kOk = 0, kNotFound = 1 };
  CheckedStatus() : code_(kOk), retryable_(false), state_(nullptr) {}
  CheckedStatus(const CheckedStatus &o) : code_(o.code_), retryable_(o.retryable_) {}
  CheckedStatus &operator=(CheckedStatus &&o) noexcept {
    code_ = o.code_;
    state_ = std::move(o.state_);
    return *this;
  }
  static CheckedStatus OK() { return CheckedStatus(); }
  static CheckedStatus NotFound() { return CheckedStatus(kNotFound); }
  bool ok() const {
    MarkChecked();
    return code() == kOk;
  }
  Code code() const {
    MarkChecked();
    return code_;
  }

private:
  explicit CheckedStatus(Code c) : code_(c), retryable_(false) {}
  void MarkChecked() const { checked_ = true; }
  Code code_;
  bool retryable_;
  std::unique_ptr<const char[]> state_;
  mutable bool checked_ = false;
};

CheckedStatus fileSize(int v);
void sizes(const int *vals, int n, long *out) {
  for (int i = 0; i < n; ++i) {
    CheckedStatus s = fileSize(vals[i]);
    if (!s.ok()) {
      // the file went away: handled
      s = CheckedStatus::OK();
      continue;
    }
    out[i] = vals[i];
  }
}

// A constructor whose parameter's default argument is the null state, called
// as the default constructor (`Status(int c = 0) : code_(c)`).
class DefaultStatus {
public:
  static DefaultStatus OK() { return DefaultStatus(); }
  static DefaultStatus NotFound() { return DefaultStatus(1); }
  bool ok() const { return code_ == 0; }

private:
  DefaultStatus(int c = 0) : code_(c) {}
  int code_;
};

DefaultStatus sizeOf(int v);
void sizesDefault(const int *vals, int n, long *out) {
  for (int i = 0; i < n; ++i) {
    DefaultStatus s = sizeOf(vals[i]);
    if (!s.ok()) {
      s = DefaultStatus::OK(); // a success: nothing to read
      continue;
    }
    out[i] = vals[i];
  }
}

Status insert(int v);
MsgStatus apply(int v);
void log(const Status &);
void log(const MsgStatus &);

Status replay(const int *vals, int n) {
  Status status;
  int count = 0;
  for (int i = 0; i < n; ++i) {
    status = insert(vals[i]);
    if (status.ok()) {
      ++count;
    } else {
      log(status);
      status = Status::OK(); // a success: nothing to read
    }
  }
  status = insert(count);
  return status;
}

MsgStatus replayAll(const int *vals, int n) {
  MsgStatus s;
  for (int i = 0; i < n; ++i) {
    s = apply(vals[i]);
    if (!s.ok()) {
      log(s);
      s = MsgStatus::Success();
    }
  }
  return s;
}

void dropSuccess() {
  Status::OK();            // nothing to drop
  MsgStatus::Success();
}

// ------------------------------------------------------- reported anyway

// The error stored before the success is never read: it is lost.
Status lost(int v) {
  Status s = insert(v); // CHECK-WARN: error stored in 's' by 'insert' is overwritten before it is read
  s = Status::OK();     // CHECK-NOTE: 's' is overwritten here
  return s;
}

// Named OK, but it may return an error.
class OddStatus {
public:
  OddStatus() : code_(0) {}
  static OddStatus OK(int v) { return v < 0 ? OddStatus(1) : OddStatus(); } // CHECK-FIX: [[nodiscard]] static OddStatus OK(int v) { return v < 0 ? OddStatus(1) : OddStatus(); }
  // CHECK-NOTE@-1: add [[nodiscard]] to 'OK'
  bool ok() const { return code_ == 0; }

private:
  explicit OddStatus(int c) : code_(c) {}
  int code_;
};

// The default state is a failure by the class's own test.
class FlagResult {
public:
  FlagResult() = default;
  static FlagResult Empty() { return FlagResult(); } // CHECK-FIX: [[nodiscard]] static FlagResult Empty() { return FlagResult(); }
  // CHECK-NOTE@-1: add [[nodiscard]] to 'Empty'
  bool ok() const { return ok_; }

private:
  bool ok_ = false;
};

// The test reads a getter of the code, and the default code is not success.
class GetterStatus {
public:
  GetterStatus() : code_(3) {}
  static GetterStatus Pending() { return GetterStatus(); } // CHECK-FIX: [[nodiscard]] static GetterStatus Pending() { return GetterStatus(); }
  // CHECK-NOTE@-1: add [[nodiscard]] to 'Pending'
  bool ok() const {
    touch();
    return code() == 0;
  }
  int code() const { return code_; }

private:
  void touch() const {}
  int code_;
};

// The constructor sets a code that is not the null state.
class CodeStatus {
public:
  CodeStatus() : code_(7) {}
  static CodeStatus Unknown() { return CodeStatus(); } // CHECK-FIX: [[nodiscard]] static CodeStatus Unknown() { return CodeStatus(); }
  // CHECK-NOTE@-1: add [[nodiscard]] to 'Unknown'
  bool ok() const { return code_ == 0; }

private:
  int code_;
};

// The parameter's default argument is not the null state.
class PendingStatus {
public:
  static PendingStatus Pending() { return PendingStatus(); } // CHECK-FIX: [[nodiscard]] static PendingStatus Pending() { return PendingStatus(); }
  // CHECK-NOTE@-1: add [[nodiscard]] to 'Pending'
  static PendingStatus Done() { return PendingStatus(0); }
  bool ok() const { return code_ == 0; }

private:
  PendingStatus(int c = 5) : code_(c) {}
  int code_;
};

void dropErrors() {
  PendingStatus::Pending(); // CHECK-WARN: error result of type 'PendingStatus' returned by 'Pending' is discarded
  OddStatus::OK(-1);    // CHECK-WARN: error result of type 'OddStatus' returned by 'OK' is discarded
  FlagResult::Empty();  // CHECK-WARN: error result of type 'FlagResult' returned by 'Empty' is discarded
  CodeStatus::Unknown(); // CHECK-WARN: error result of type 'CodeStatus' returned by 'Unknown' is discarded
  GetterStatus::Pending(); // CHECK-WARN: error result of type 'GetterStatus' returned by 'Pending' is discarded
}
