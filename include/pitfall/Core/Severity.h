//===--- Severity.h - how sure a finding is -------------------------------===//
//
// Every finding of pitfall's checks and analyzer checkers has a severity,
// decided by the check from what its analysis knows about that finding:
//   * Error: the hazard happens whenever the code runs (a joinable thread
//     destroyed on every path, a latch that can never reach zero);
//   * Warning: it happens on some paths or interleavings only (a condition,
//     an exception, a race);
//   * Note: dismissible, reported only when an option asks for it (the
//     dropped error of a best-effort call).
//
// The diagnostics clang-tidy prints stay warnings whatever the severity: an
// error-level check diagnostic would make clang-tidy refuse to apply any
// fix-it (-fix) and exit with status 1 as for a compiler error. The severity
// reaches pitfall-scan's reports through a SeverityRecorder instead: the
// driver installs one around a translation unit's analysis, the checks
// record each finding's severity at the place they report it, and the
// driver pairs them with the diagnostics (see docs/architecture.md).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_SEVERITY_H
#define PITFALL_CORE_SEVERITY_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace clang {
class SourceManager;
} // namespace clang

namespace pitfall {

/// Ordered: a higher severity compares greater.
enum class Severity : unsigned char { Note, Warning, Error };

/// "note", "warning", "error" (SARIF's level names).
llvm::StringRef severityName(Severity S);
/// The inverse of severityName; std::nullopt for anything else.
std::optional<Severity> parseSeverity(llvm::StringRef Name);

/// Receives the severity of each finding reported on the current thread.
class SeverityRecorder {
public:
  virtual ~SeverityRecorder();
  /// \p Reporter is the clang-tidy check ("pitfall-unjoined-thread") or the
  /// analyzer checker ("pitfall.ThreadJoin") reporting at \p File (as the
  /// source manager names it) and byte offset \p Offset, the file location
  /// the diagnostic is shown at.
  virtual void record(llvm::StringRef Reporter, llvm::StringRef File,
                      unsigned Offset, Severity S) = 0;
};

/// Installs \p R for the current thread until the returned guard is
/// destroyed (the previous recorder is restored).
class ScopedSeverityRecorder {
public:
  explicit ScopedSeverityRecorder(SeverityRecorder &R);
  ~ScopedSeverityRecorder();
  ScopedSeverityRecorder(const ScopedSeverityRecorder &) = delete;
  ScopedSeverityRecorder &operator=(const ScopedSeverityRecorder &) = delete;

private:
  SeverityRecorder *Previous;
};

/// Hands the severity of a finding reported at \p Loc to the current
/// thread's recorder, if one is installed (none in plain clang-tidy,
/// clangd or clang --analyze: nothing happens).
void recordSeverity(llvm::StringRef Reporter, const clang::SourceManager &SM,
                    clang::SourceLocation Loc, Severity S);

} // namespace pitfall

#endif // PITFALL_CORE_SEVERITY_H
