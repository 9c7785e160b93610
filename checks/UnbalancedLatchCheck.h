//===--- UnbalancedLatchCheck.h - pitfall-unbalanced-latch ----------------===//
#ifndef PITFALL_CHECKS_UNBALANCEDLATCHCHECK_H
#define PITFALL_CHECKS_UNBALANCEDLATCHCHECK_H

#include "PitfallCheck.h"

#include <memory>

namespace pitfall {

class LatchBalance;
struct LatchFinding;

/// Flags std::latch / std::barrier / std::counting_semaphore / WaitGroup
/// counts that never balance: a count that differs from the arrivals of
/// the workers, worker paths that leave without arriving or arrive twice,
/// WaitGroup add() inside the worker, semaphores not released on a path and
/// single-use latches reused in a loop (the flow layer's LatchBalance
/// analysis).
/// Documentation: docs/checks/unbalanced-latch.md
class UnbalancedLatchCheck : public PitfallCheck {
public:
  UnbalancedLatchCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context);
  ~UnbalancedLatchCheck() override;

  void
  storeCheckOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  void checkFunction(const clang::FunctionDecl *FD, FlowContext &Flow) override;
  void endOfTranslationUnit(FlowContext &Flow) override;

  /// \p AssertionPath: a LeavesWithout finding whose path leaves at a
  /// failed test assertion (AssertionMacros).
  void report(const LatchFinding &F, const clang::ASTContext &Ctx,
              bool AssertionPath = false);
  void reportCount(const LatchFinding &F, const clang::ASTContext &Ctx);

  std::unique_ptr<LatchBalance> Analysis;
  /// Report a worker path that leaves without arriving at a failed test
  /// assertion (the test hangs instead of failing): off by default.
  const bool ReportAssertionPaths;
};

} // namespace pitfall

#endif
