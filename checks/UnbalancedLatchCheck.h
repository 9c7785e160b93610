//===--- UnbalancedLatchCheck.h - pitfall-unbalanced-latch ----------------===//
#ifndef PITFALL_CHECKS_UNBALANCEDLATCHCHECK_H
#define PITFALL_CHECKS_UNBALANCEDLATCHCHECK_H

#include "pitfall/Core/Escape.h"
#include "pitfall/Core/SyncPrimitives.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <memory>

namespace pitfall {

namespace latch_detail {
struct WorkerSummary;
} // namespace latch_detail

/// Flags std::latch / std::barrier / std::counting_semaphore / WaitGroup
/// counts that never balance: a count that differs from the arrivals of
/// the workers, worker paths that leave without arriving or arrive twice,
/// WaitGroup add() inside the worker, semaphores not released on a path and
/// single-use latches reused in a loop.
/// Documentation: docs/checks/unbalanced-latch.md
class UnbalancedLatchCheck : public clang::tidy::ClangTidyCheck {
public:
  UnbalancedLatchCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context);
  ~UnbalancedLatchCheck() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_IgnoreUnlessSpelledInSource;
  }

  /// Memoized SyncPrimitives::kindOf (used by the matchers).
  SyncKind kindOf(const clang::CXXRecordDecl *RD) const;

private:
  class FunctionAnalysis;
  friend class FunctionAnalysis;

  const latch_detail::WorkerSummary &
  workerSummary(const clang::FunctionDecl *Worker);
  void analyzeFunction(const clang::FunctionDecl *F);
  /// \p F, and the functions around it if it is a lambda, are analysed.
  void addCandidate(const clang::FunctionDecl *F);

  const std::string WaitGroupTypesOption;
  const std::string ThreadTypesOption;
  const std::string EscapeFunctionsOption;
  const SyncPrimitives Sync;
  const EscapeRecognizer Escapes;

  clang::ASTContext *Ctx = nullptr;
  llvm::SetVector<const clang::FunctionDecl *> Candidates;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, SyncKind> KindCache;
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::unique_ptr<latch_detail::WorkerSummary>>
      Summaries;
  /// Workers whose WaitGroup add() was already reported (a function worker
  /// can be started from several spawners).
  llvm::SmallPtrSet<const clang::FunctionDecl *, 8> AddReported;
};

} // namespace pitfall

#endif
