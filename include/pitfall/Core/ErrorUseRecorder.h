//===--- ErrorUseRecorder.h - a code base's uses of error results ---------===//
//
// pitfall-ignored-error holds a dropped result to the code base's own
// convention (docs/checks/ignored-error.md, "The project's own convention"):
// a callee whose result the code drops at least as often as it uses it is
// treated as best effort. In one translation unit (clang-tidy, clangd) the
// check counts the TU's calls itself; in pitfall-scan the evidence is every
// TU of the database, so the check hands each counted call and each
// discarded-result finding to the recorder the driver installs around a TU's
// analysis (like the SeverityRecorder), and the driver decides after the
// last TU (lib/Scan/WholeProgram*: the summaries' "errorUses" section).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_ERRORUSERECORDER_H
#define PITFALL_CORE_ERRORUSERECORDER_H

#include "clang/Basic/SourceLocation.h"

namespace clang {
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace pitfall {

/// Receives, on the current thread, the calls whose error result the
/// translation unit uses or drops, and the findings of dropped results
/// the whole program's counts decide.
class ErrorUseRecorder {
public:
  virtual ~ErrorUseRecorder();
  /// A call of \p Callee (the function its uses are counted under:
  /// errorUseKey in Flow/ErrorConvention.h) at \p Loc whose error result is
  /// \p Dropped or used.
  virtual void site(const clang::FunctionDecl *Callee,
                    const clang::SourceManager &SM, clang::SourceLocation Loc,
                    bool Dropped) = 0;
  /// A finding of \p Reporter at \p Loc (where the diagnostic is shown)
  /// that drops \p Callee's result: reported with severity note when
  /// \p ReportAsNote and the whole program drops the callee by convention,
  /// not reported at all when not \p ReportAsNote.
  virtual void finding(const clang::FunctionDecl *Callee,
                       const clang::SourceManager &SM,
                       clang::SourceLocation Loc, bool ReportAsNote) = 0;
};

/// Installs \p R for the current thread until the guard is destroyed.
class ScopedErrorUseRecorder {
public:
  explicit ScopedErrorUseRecorder(ErrorUseRecorder &R);
  ~ScopedErrorUseRecorder();
  ScopedErrorUseRecorder(const ScopedErrorUseRecorder &) = delete;
  ScopedErrorUseRecorder &operator=(const ScopedErrorUseRecorder &) = delete;

private:
  ErrorUseRecorder *Previous;
};

/// The current thread's recorder: null in clang-tidy, clangd and outside a
/// pitfall-scan worker's analysis.
ErrorUseRecorder *errorUseRecorder();

} // namespace pitfall

#endif // PITFALL_CORE_ERRORUSERECORDER_H
