//===--- UnjoinedThreadCheck.h - pitfall-unjoined-thread ------------------===//
#ifndef PITFALL_CHECKS_UNJOINEDTHREADCHECK_H
#define PITFALL_CHECKS_UNJOINEDTHREADCHECK_H

#include "pitfall/Core/CFGUtil.h"
#include "pitfall/Core/Threads.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class CXXRecordDecl;
class FunctionDecl;
} // namespace clang

namespace pitfall {

/// Flags std::thread objects destroyed or reassigned while joinable: locals
/// (a forward dataflow analysis over the function's CFG), containers of
/// threads, and data members the destructor does not join.
/// Documentation: docs/checks/unjoined-thread.md
class UnjoinedThreadCheck : public clang::tidy::ClangTidyCheck {
public:
  UnjoinedThreadCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);
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

private:
  void checkFunction(const clang::FunctionDecl *Fn, clang::ASTContext &Ctx);
  void checkRecord(const clang::CXXRecordDecl *Record, clang::ASTContext &Ctx);

  const std::string ThreadTypesOption;
  const ThreadTypes Threads;
  llvm::DenseSet<const clang::FunctionDecl *> AnalyzedFunctions;
  llvm::DenseSet<const clang::CXXRecordDecl *> AnalyzedRecords;
  ThrowModel Throws;
};

} // namespace pitfall

#endif
