// ReportTestedPredicates: true reports the errors of predicates whose
// tested result covers the failure, which
// ignored-error-tested-predicates.cpp shows hidden by default, as notes in
// pitfall-scan's report.
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportTestedPredicates: true}}" -- -std=c++17
#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

void notFound();
void serve(const fs::path &p);

void staticFile(const fs::path &p) {
  std::error_code err;
  if (!fs::exists(p, err)) { // CHECK-WARN: error stored in 'err' by 'exists' is overwritten before it is read
    notFound();
    return;
  }
  if (fs::is_directory(p, err)) // CHECK-WARN: error stored in 'err' by 'is_directory' is never read
    // CHECK-NOTE@-1: 'err' is overwritten here
    serve(p / "index.html");
  else
    serve(p);
}
