//===--- UnlockedContainerAccessCheck.h - pitfall-unlocked-container-access
//===//
#ifndef PITFALL_CHECKS_UNLOCKEDCONTAINERACCESSCHECK_H
#define PITFALL_CHECKS_UNLOCKEDCONTAINERACCESSCHECK_H

#include "pitfall/Core/Containers.h"
#include "pitfall/Core/Escape.h"
#include "pitfall/Core/Locks.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

#include <memory>

namespace pitfall {

/// Flags accesses to standard containers shared between threads where at
/// least one thread modifies the container and the access does not hold a
/// lock the other accesses hold: locals captured by reference into a thread,
/// globals reached from a thread entry, and data members whose other
/// accesses are under a mutex member.
/// Documentation: docs/checks/unlocked-container-access.md
class UnlockedContainerAccessCheck : public clang::tidy::ClangTidyCheck {
public:
  UnlockedContainerAccessCheck(llvm::StringRef Name,
                               clang::tidy::ClangTidyContext *Context);
  ~UnlockedContainerAccessCheck() override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_IgnoreUnlessSpelledInSource;
  }

  struct Facts; // what one translation unit's matches collected

private:
  // What one node of a user's function (walked from check()) contributes.
  void collect(const clang::Stmt *S, const clang::FunctionDecl *Fn);
  bool isContainerRef(const clang::Stmt *S) const;
  bool isThreadStart(const clang::Stmt *S) const;
  void collectAccess(const clang::Expr *Ref, const clang::FunctionDecl *Fn);
  void collectStart(const clang::Expr *Start, const clang::FunctionDecl *Fn);
  void collectHelperCall(const clang::CXXMemberCallExpr *Call,
                         const clang::FunctionDecl *Fn);

  const std::string ContainerTypesOption;
  const std::string LockTypesOption;
  const std::string ThreadTypesOption;
  const std::string EscapeFunctionsOption;
  const ContainerRecognizer Containers;
  const LockRecognizer Locks;
  const EscapeRecognizer Escapes;
  /// Names of the functions that can start a thread (a cheap filter before
  /// the recognizer).
  llvm::StringSet<> StartNames;
  std::unique_ptr<Facts> TU;
};

} // namespace pitfall

#endif
