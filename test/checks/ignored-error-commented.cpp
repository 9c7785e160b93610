// (ReportConventionallyIgnored: each callee here is dropped once or twice;
// the convention is ignored-error-convention.cpp's.)
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17
// Dismissible by default (ReportCommentedDrops): a dropped result whose
// statement carries a comment saying so: on its line, after it, or in the
// comment lines right above it ("// Ignore error", "ignoring errors on
// purpose", "best effort", "intentionally"). The maintainer has decided,
// as with a cast to void. A comment that says something else, a comment
// separated by a blank line or by code, and a `//` inside a string
// literal do not count. With the option on:
// ignored-error-commented-report.cpp.
#include <string>
#include <system_error>
#include <vector>

class Status {
public:
  bool ok() const { return code_ == 0; }
  static Status OK() { return Status(); }

private:
  int code_ = 0;
};

struct Env {
  Status RenameFile(const std::string &from, const std::string &to); // CHECK-FIX: [[nodiscard]] Status RenameFile(const std::string &from, const std::string &to);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'RenameFile' so that the compiler reports callers that drop its result
  Status RemoveDir(const std::string &dir);
  Status RemoveFile(const std::string &file);
  Status GetChildren(const std::string &dir, std::vector<std::string> *out);
  Status CreateDir(const std::string &dir); // CHECK-FIX: [[nodiscard]] Status CreateDir(const std::string &dir);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'CreateDir' so that the compiler reports callers that drop its result
  Status SyncDir(const std::string &dir);
  Status Flush(); // CHECK-FIX: [[nodiscard]] Status Flush();
  // CHECK-NOTE@-1: add [[nodiscard]] to 'Flush' so that the compiler reports callers that drop its result
  Status Close(); // CHECK-FIX: [[nodiscard]] Status Close();
  // CHECK-NOTE@-1: add [[nodiscard]] to 'Close' so that the compiler reports callers that drop its result
  Status Truncate(const std::string &file);
};

void cleanUp(Env *env, const std::string &db) {
  std::vector<std::string> names;
  env->GetChildren(db, &names); // Ignoring errors on purpose
  env->RemoveDir(db);           // Ignore error in case dir contains other files
  /* best effort */ env->SyncDir(db);
  // The lock file may be gone already: ignore the result.
  env->RemoveFile(db + "/LOCK");
  // Deliberately not checked, see below.
  env->Truncate(db + "/LOG");
}

void notAboutTheResult(Env *env, const std::string &db) {
  env->CreateDir(db); // In case it does not exist
  // CHECK-WARN@-1: error result of type 'Status' returned by 'CreateDir' is discarded

  // ignore the old log

  env->RenameFile(db + "/LOG", db + "/LOG.old");
  // CHECK-WARN@-1: error result of type 'Status' returned by 'RenameFile' is discarded
}

void commentOfAnotherStatement(Env *env, std::string &log) {
  // Ignore trailing spaces.
  log += "x";
  env->Flush();
  // CHECK-WARN@-1: error result of type 'Status' returned by 'Flush' is discarded
  log += "// ignored"; env->Close();
  // CHECK-WARN@-1: error result of type 'Status' returned by 'Close' is discarded
}
