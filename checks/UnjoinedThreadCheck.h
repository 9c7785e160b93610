//===--- UnjoinedThreadCheck.h - pitfall-unjoined-thread ------------------===//
#ifndef PITFALL_CHECKS_UNJOINEDTHREADCHECK_H
#define PITFALL_CHECKS_UNJOINEDTHREADCHECK_H

#include "pitfall/Core/Threads.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace pitfall {

/// Flags std::thread objects destroyed or reassigned while joinable.
/// Documentation: docs/checks/unjoined-thread.md
class UnjoinedThreadCheck : public clang::tidy::ClangTidyCheck {
public:
  UnjoinedThreadCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_IgnoreUnlessSpelledInSource;
  }

private:
  const std::string ThreadTypesOption;
  const ThreadTypes Threads;
};

} // namespace pitfall

#endif
