// ReportConventionallyIgnored: true reports the drops of callees the code
// drops by convention that ignored-error-convention.cpp shows hidden by
// default (the same code); a drop of a callee checked at most call sites
// is reported either way. In one TU the evidence is
// the TU's user code (headers' inline and template code, not system
// headers). The same code with the option on: -report.cpp. (C++14: the
// advice note rather than the [[nodiscard]] fix-it in the shared header.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++14 -I %S/Inputs/convention -isystem %S/Inputs/convention/sys
#include <store.h>
#include <sysenv.h>

Status Append(const char *data);
Status RemoveFile(const char *f);
Status Sync();
Status CreateDir(const char *d);
Status Rename(const char *from, const char *to);

// Append: used at three sites, dropped at one: the drop is the deviant one.
Status writeRecord(const char *r) {
  Status s = Append(r);
  if (!s.ok())
    return s;
  if (!Append("\n").ok())
    return Status::IOError("newline");
  return Append("");
}

void writePadding() {
  Append("pad"); // CHECK-WARN: error result of type 'Status' returned by 'Append' is discarded
  // CHECK-NOTE@-1: test the result
}

// RemoveFile: dropped at three sites (leftovers), used at one.
void cleanupLeftovers() {
  RemoveFile("a.tmp"); // CHECK-WARN: error result of type 'Status' returned by 'RemoveFile' is discarded
  // CHECK-NOTE@-1: test the result
  RemoveFile("b.tmp"); // CHECK-WARN: error result of type 'Status' returned by 'RemoveFile' is discarded
  // CHECK-NOTE@-1: test the result
}

Status destroy() { return RemoveFile("data"); }

void removeOld() {
  (void)RemoveFile("old"); // a drop as well (cast to void)
}

// Sync: one call only, dropped: no convention to follow.
void syncOnce() {
  Sync(); // CHECK-WARN: error result of type 'Status' returned by 'Sync' is discarded
  // CHECK-NOTE@-1: test the result
}

// CreateDir: dropped twice, used twice: half of the calls, best effort.
void makeDirs() {
  CreateDir("x"); // CHECK-WARN: error result of type 'Status' returned by 'CreateDir' is discarded
  // CHECK-NOTE@-1: test the result
  CreateDir("y"); // CHECK-WARN: error result of type 'Status' returned by 'CreateDir' is discarded
  // CHECK-NOTE@-1: test the result
}
bool makeChecked() { return CreateDir("z").ok() && CreateDir("w").ok(); }

// Rename: dropped twice, used three times: both drops are deviant.
void renameBoth() {
  Rename("a", "b"); // CHECK-WARN: error result of type 'Status' returned by 'Rename' is discarded
  // CHECK-NOTE@-1: test the result
  Rename("c", "d"); // CHECK-WARN: error result of type 'Status' returned by 'Rename' is discarded
  // CHECK-NOTE@-1: test the result
}
bool renameChecked() {
  return Rename("e", "f").ok() && Rename("g", "h").ok() &&
         Rename("i", "j").ok();
}

// A virtual member's overrides count with it: RemoveDir dropped once
// through the base and once through the override (two drops, best effort).
class PosixEnv : public Env {
public:
  Status RemoveDir(const char *d) override;
  Status Flush() override;
  Status Trim();
};

void removeDirs(Env *env, PosixEnv &posix) {
  env->RemoveDir("a"); // CHECK-WARN: error result of type 'Status' returned by 'RemoveDir' is discarded
  // CHECK-NOTE@-1: test the result
  posix.RemoveDir("b"); // CHECK-WARN: error result of type 'Status' returned by 'RemoveDir' is discarded
  // CHECK-NOTE@-1: test the result
}

// Flush: dropped twice through the override, used three times through the
// base: the drops are deviant.
void flushTwice(PosixEnv &posix) {
  posix.Flush(); // CHECK-WARN: error result of type 'Status' returned by 'Flush' is discarded
  // CHECK-NOTE@-1: test the result
  posix.Flush(); // CHECK-WARN: error result of type 'Status' returned by 'Flush' is discarded
  // CHECK-NOTE@-1: test the result
}
bool flushChecked(Env *env) {
  return env->Flush().ok() && env->Flush().ok() && env->Flush().ok();
}

// Truncate: used twice in the header's inline code, dropped once here.
void truncateOne(Env &e) {
  e.Truncate("c"); // CHECK-WARN: error result of type 'Status' returned by 'Truncate' is discarded
  // CHECK-NOTE@-1: test the result
}

// Lock: used at one site of a template (three instantiations), dropped at
// two: best effort.
Status relockAll(Env &e) {
  Status a = relock<1>(e), b = relock<2>(e), c = relock<3>(e);
  return a.ok() && b.ok() ? c : a;
}
void lockTwice(Env &e) {
  e.Lock(); // CHECK-WARN: error result of type 'Status' returned by 'Lock' is discarded
  // CHECK-NOTE@-1: test the result
  e.Lock(); // CHECK-WARN: error result of type 'Status' returned by 'Lock' is discarded
  // CHECK-NOTE@-1: test the result
}

// Trim: used three times in a system header's template, dropped twice
// here: a system header is no evidence, the two drops are the convention.
bool trimAll(PosixEnv &p) { return sysTrimAll(p); }
void trimTwice(PosixEnv &p) {
  p.Trim(); // CHECK-WARN: error result of type 'Status' returned by 'Trim' is discarded
  // CHECK-NOTE@-1: test the result
  p.Trim(); // CHECK-WARN: error result of type 'Status' returned by 'Trim' is discarded
  // CHECK-NOTE@-1: test the result
}
