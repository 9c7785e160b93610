// A project's own header: its inline and template code is the TU's user
// code, counted as evidence like the main file's.
#pragma once

class Status {
public:
  static Status IOError(const char *m) { return Status(m); }
  bool ok() const { return msg_ == nullptr; }

private:
  explicit Status(const char *m) : msg_(m) {}
  const char *msg_;
};

class Env {
public:
  virtual ~Env();
  virtual Status RemoveDir(const char *d);
  virtual Status Flush();
  virtual Status Lock();
  virtual Status Truncate(const char *f);
};

// Truncate's result is used twice here.
inline Status truncateBoth(Env &e) {
  Status s = e.Truncate("a");
  if (!s.ok())
    return s;
  return e.Truncate("b");
}

// One call site whatever the number of instantiations.
template <int N> Status relock(Env &e) { return e.Lock(); }
