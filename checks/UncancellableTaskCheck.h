//===--- UncancellableTaskCheck.h - pitfall-uncancellable-task ------------===//
#ifndef PITFALL_CHECKS_UNCANCELLABLETASKCHECK_H
#define PITFALL_CHECKS_UNCANCELLABLETASKCHECK_H

#include "pitfall/Core/BodyIndex.h"
#include "pitfall/Core/Cancellation.h"
#include "pitfall/Core/Escape.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace pitfall {

/// Flags tasks that can never be stopped: coroutines, std::jthread,
/// detached or long-lived std::thread and std::async(std::launch::async)
/// callables whose loop can never end or ignores its stop_token, jthread
/// loops blocked in waits a stop request cannot wake, and loops whose stop
/// condition is a plain bool another function writes.
/// Documentation: docs/checks/uncancellable-task.md
class UncancellableTaskCheck : public clang::tidy::ClangTidyCheck {
public:
  UncancellableTaskCheck(llvm::StringRef Name,
                         clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerPPCallbacks(const clang::SourceManager &SM,
                           clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
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

  /// How a task is started; decides the wording and which rules apply.
  enum class TaskKind { Coroutine, JThread, Thread, Async };

private:
  struct Task {
    TaskKind Kind;
    const clang::Stmt *Site;         ///< where it starts (null: coroutine)
    const clang::FunctionDecl *Fn;   ///< the function that runs
    const clang::ParmVarDecl *Token; ///< the std::stop_token it receives
  };
  void analyzeTask(const Task &T, clang::ASTContext &Ctx);
  void analyzeLoops(const Task &T, const clang::Stmt *Body,
                    clang::ASTContext &Ctx);
  /// One node of a user's function (walked from check()).
  void visit(const clang::Stmt *S, const clang::FunctionDecl *Fn,
             clang::ASTContext &Ctx);
  /// Coroutine lambdas, loops testing a bool flag, writes to one.
  void visitFlagUse(const clang::Stmt *S, const clang::FunctionDecl *Fn,
                    clang::ASTContext &Ctx);
  void checkEmplace(const clang::CXXMemberCallExpr *MC, clang::ASTContext &Ctx);
  void checkThreadStart(const clang::CXXConstructExpr *CE,
                        clang::ASTContext &Ctx);
  void reportEndless(const Task &T, const clang::Stmt *Loop);

  struct FlagWrite {
    const clang::Expr *Write;
    const clang::Decl *Fn;
  };
  struct FlagLoop {
    const clang::Stmt *Loop;
    const clang::Expr *Read;
    const clang::ValueDecl *Flag;
    const clang::Decl *Fn;
  };

  const std::string CancellationChecksOption;
  const std::string ThreadTypesOption;
  const CancellationRecognizer Cancel;
  const EscapeRecognizer Escapes;
  clang::tidy::utils::IncludeInserter Inserter;

  // Per translation unit.
  llvm::DenseSet<const clang::Stmt *> ReportedLoops;
  llvm::DenseSet<const clang::Stmt *> ReportedWaits;
  llvm::DenseMap<const clang::ValueDecl *, llvm::SmallVector<FlagWrite, 2>>
      FlagWrites;
  llvm::SmallVector<FlagLoop, 4> FlagLoops;
  bool SawConcurrency = false;
  clang::ASTContext *TUContext = nullptr;
  /// Parents and enclosing functions of the user's code.
  BodyIndex Bodies;
};

} // namespace pitfall

#endif
