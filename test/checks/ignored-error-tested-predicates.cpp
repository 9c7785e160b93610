// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++17
// A predicate with an error_code overload: `fs::exists(p, ec)`,
// `fs::is_directory(p, ec)` and a project's own `bool f(..., ec&)` answer
// false when they fail, and the overload is there not to throw. When the
// bool result decides a condition (of an `if`, a loop, a `?:`, through `!`,
// `&&`, `||`), the code acts on the failure through it: the error left in
// `ec` is not reported (drogon's static file router: `if
// (!filesystem::exists(path, err)) { defaultHandler_(...); return; }`).
// Still reported: a predicate whose result is dropped or only stored, a
// call that returns something else than bool, and the error an untested
// call stores before a tested one overwrites it.
// ReportTestedPredicates: true reports them: see
// ignored-error-tested-predicates-report.cpp.
#include <filesystem>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

bool parsePort(const std::string &s, int &port, std::error_code &ec);
void notFound();
void serve(const fs::path &p);

void staticFile(const fs::path &p) {
  std::error_code err;
  if (!fs::exists(p, err)) {
    notFound();
    return;
  }
  if (fs::is_directory(p, err))
    serve(p / "index.html");
  else
    serve(p);
}

void regularOnly(const fs::path &p) {
  std::error_code err;
  if (!fs::exists(p, err) || !fs::is_regular_file(p, err))
    notFound();
  else
    serve(p);
}

int portOr(const std::string &s, int fallback) {
  int port = 0;
  std::error_code ec;
  return parsePort(s, port, ec) ? port : fallback;
}

void waitForFile(const fs::path &p) {
  std::error_code ec;
  while (!fs::exists(p, ec))
    serve(p);
}

// The result dropped: the failure is lost.
void dropped(const fs::path &p) {
  std::error_code ec;
  fs::is_directory(p, ec); // CHECK-WARN: error stored in 'ec' by 'is_directory' is never read
}

// A local that only conditions read is tested.
void testedLocal(const fs::path &p) {
  std::error_code ec;
  bool dir = fs::is_directory(p, ec);
  if (dir)
    serve(p);
}

// Stored and handed on: the caller cannot tell a failure from a no.
bool stored(const fs::path &p) {
  std::error_code ec;
  bool dir = fs::is_directory(p, ec); // CHECK-WARN: error stored in 'ec' by 'is_directory' is never read
  return dir;
}

// Not a predicate: the count says nothing of the failure.
void removeThenCheck(const fs::path &p) {
  std::error_code ec;
  fs::remove_all(p, ec); // CHECK-WARN: error stored in 'ec' by 'remove_all' is overwritten before it is read
  if (fs::exists(p, ec)) // CHECK-NOTE: 'ec' is overwritten here
    notFound();
}
