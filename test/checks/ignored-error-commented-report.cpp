// ReportCommentedDrops: true reports the drops that ignored-error-commented.cpp
// shows hidden by default: a note in pitfall-scan's report.
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportCommentedDrops: true, pitfall-ignored-error.ReportConventionallyIgnored: true}}" -- -std=c++17
// RUN: %scan_one %s pitfall-ignored-error --option pitfall-ignored-error.ReportCommentedDrops=true \
// RUN:   -- -std=c++17 | FileCheck %s --check-prefix=SCAN
// RUN: %scan_one %s pitfall-ignored-error -- -std=c++17 | FileCheck %s --check-prefix=DEFAULT --allow-empty
// DEFAULT-NOT: is discarded
#include <string>

class Status {
public:
  bool ok() const { return code_ == 0; }

private:
  int code_ = 0;
};

struct Env {
  Status RemoveDir(const std::string &dir); // CHECK-FIX: [[nodiscard]] Status RemoveDir(const std::string &dir);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'RemoveDir' so that the compiler reports callers that drop its result
  Status RemoveFile(const std::string &file); // CHECK-FIX: [[nodiscard]] Status RemoveFile(const std::string &file);
  // CHECK-NOTE@-1: add [[nodiscard]] to 'RemoveFile' so that the compiler reports callers that drop its result
};

void cleanUp(Env *env, const std::string &db) {
  env->RemoveDir(db); // Ignore error in case dir contains other files
  // CHECK-WARN@-1: error result of type 'Status' returned by 'RemoveDir' is discarded
  // SCAN: report.cpp:[[@LINE-2]]:3: note: error result of type 'Status' returned by 'RemoveDir' is discarded
  // The lock file may be gone already: ignore the result.
  env->RemoveFile(db + "/LOCK");
  // CHECK-WARN@-1: error result of type 'Status' returned by 'RemoveFile' is discarded
  // SCAN: report.cpp:[[@LINE-2]]:3: note: error result of type 'Status' returned by 'RemoveFile' is discarded
}
