//===--- UnjoinedThreadCheck.cpp - pitfall-unjoined-thread ----------------===//
#include "UnjoinedThreadCheck.h"
#include "CheckFactory.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace pitfall {

UnjoinedThreadCheck::UnjoinedThreadCheck(llvm::StringRef Name,
                                         tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      ThreadTypesOption(Options.get("ThreadTypes", DefaultThreadTypes)),
      Threads(ThreadTypesOption) {}

void UnjoinedThreadCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ThreadTypes", ThreadTypesOption);
}

void UnjoinedThreadCheck::registerMatchers(MatchFinder *Finder) {
  (void)Finder; // FIXME: implemented in the unjoined-thread work item.
}

void UnjoinedThreadCheck::check(const MatchFinder::MatchResult &Result) {
  (void)Result;
}

} // namespace pitfall

PITFALL_DEFINE_CHECK_FACTORY(UnjoinedThreadCheck)
