//===--- IgnoredErrorCheck.h - pitfall-ignored-error
//-----------------------===//
#ifndef PITFALL_CHECKS_IGNOREDERRORCHECK_H
#define PITFALL_CHECKS_IGNOREDERRORCHECK_H

#include "pitfall/Core/Errors.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class CallExpr;
class Decl;
class Expr;
class Stmt;
} // namespace clang

namespace pitfall {

/// Go's errcheck for C++: flags error results that are discarded (a call
/// used as a statement whose value carries an error) and error variables
/// whose stored error is never read before it is overwritten or dies.
/// Documentation: docs/checks/ignored-error.md
class IgnoredErrorCheck : public clang::tidy::ClangTidyCheck {
public:
  IgnoredErrorCheck(llvm::StringRef Name,
                    clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override {
    Analyzed.clear();
    NodiscardOffered.clear();
    StmtExprValues.clear();
    Reported.clear();
    ExpectThrowBodies.clear();
  }
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_IgnoreUnlessSpelledInSource;
  }

private:
  /// One node of a user's function (walked from check()).
  void visit(const clang::Stmt *S, clang::ASTContext &Ctx);
  const clang::CallExpr *
  droppableErrorCall(const clang::Stmt *S,
                     const clang::SourceManager &SM) const;
  /// \p Call's value is dropped (as a statement of \p Block, if in one).
  void handleDiscarded(const clang::CallExpr *Call,
                       const clang::CompoundStmt *Block, bool VoidCast,
                       clang::ASTContext &Ctx);
  void reportDiscarded(const clang::CallExpr *Call, ErrorKind Kind,
                       clang::ASTContext &Ctx);
  void analyzeStores(const clang::Decl *Fn, clang::ASTContext &Ctx);

  const std::string ErrorTypesOption;
  const std::string CheckedFunctionsOption;
  const bool StatusHeuristic;
  const bool AllowCastToVoid;
  const ErrorRecognizer Errors;
  /// Functions whose stores were analyzed (one CFG per function).
  llvm::DenseSet<const clang::Decl *> Analyzed;
  /// The last expressions of GNU statement expressions (their values).
  llvm::DenseSet<const clang::Expr *> StmtExprValues;
  /// Bodies of lambdas passed to a helper that checks that they throw.
  llvm::DenseSet<const clang::Stmt *> ExpectThrowBodies;
  /// Discarded calls already reported.
  llvm::DenseSet<const clang::CallExpr *> Reported;
  /// Declarations (by insertion point) already offered [[nodiscard]].
  llvm::DenseSet<unsigned> NodiscardOffered;
};

} // namespace pitfall

#endif
