//===--- LoopCaptureByReferenceCheck.h - pitfall-loop-capture-by-reference ===//
#ifndef PITFALL_CHECKS_LOOPCAPTUREBYREFERENCECHECK_H
#define PITFALL_CHECKS_LOOPCAPTUREBYREFERENCECHECK_H

#include "PitfallCheck.h"

#include "pitfall/Flow/LoopCaptures.h"

namespace pitfall {

/// Flags a lambda created in a loop that captures by reference a variable
/// whose lifetime is the loop or one iteration, when the lambda outlives the
/// iteration (runs on a task nothing in the iteration waits for, or is
/// stored outside the loop). Go's vet `loopclosure`. The analysis is the
/// flow layer's (lib/Flow/LoopCaptures); this check words its findings.
/// Documentation: docs/checks/loop-capture-by-reference.md
class LoopCaptureByReferenceCheck : public PitfallCheck {
public:
  LoopCaptureByReferenceCheck(llvm::StringRef Name,
                              clang::tidy::ClangTidyContext *Context)
      : PitfallCheck(Name, Context,
                     {FlowOption::ThreadTypes, FlowOption::EscapeFunctions,
                      FlowOption::TestCaseMacros, FlowOption::AssertionMacros}),
        ReportStoredInTestFixtures(
            Options.get("ReportStoredInTestFixtures", false)),
        ReportAssertionPaths(Options.get("ReportAssertionPaths", false)) {}

private:
  void
  storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  /// True if \p F, a finding of test case \p Fn, is a local of the test
  /// body captured by a lambda stored in a member of the test's fixture
  /// object, which the framework destroys right after the body: reported
  /// only with ReportStoredInTestFixtures.
  bool storedInTestFixture(const LoopCaptureFinding &F,
                           const clang::FunctionDecl *Fn, FlowContext &Flow);

  const bool ReportStoredInTestFixtures;
  /// Report a task that outlives the iteration only on the path of a failed
  /// test assertion (as a note).
  const bool ReportAssertionPaths;
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void report(const LoopCaptureFinding &F, bool Fixable,
              llvm::StringRef ImplicitCopies, clang::ASTContext &Ctx,
              const clang::SourceManager &SM);
  /// A reference to an element or an iterator whose container is resized
  /// or destroyed while the task runs.
  void reportElement(const LoopCaptureFinding &F);
  /// Where the lambda leaves the iteration, and its task's handle.
  void noteEscape(const LoopCaptureFinding &F);
};

} // namespace pitfall

#endif
