//===--- SendOnClosedChannelCheck.h - pitfall-send-on-closed-channel ------===//
#ifndef PITFALL_CHECKS_SENDONCLOSEDCHANNELCHECK_H
#define PITFALL_CHECKS_SENDONCLOSEDCHANNELCHECK_H

#include "pitfall/Core/Channels.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace pitfall {

/// Flags a send on a channel, or a close of a channel, that may already be
/// closed on some path through the function (the intraprocedural form of
/// the analyzer checker pitfall.ChannelClose).
/// Documentation: docs/checks/send-on-closed-channel.md
class SendOnClosedChannelCheck : public clang::tidy::ClangTidyCheck {
public:
  SendOnClosedChannelCheck(llvm::StringRef Name,
                           clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  bool isLanguageVersionSupported(
      const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus11;
  }
  std::optional<clang::TraversalKind> getCheckTraversalKind() const override {
    return clang::TK_AsIs;
  }

private:
  const std::string ChannelTypesOption;
  const std::string SendMethodsOption;
  const bool MatchChannelNames;
  const ChannelRecognizer Channels;
  /// Functions already analyzed (a function with several closes is
  /// matched once per close).
  llvm::SmallPtrSet<const clang::Decl *, 16> Analyzed;
};

} // namespace pitfall

#endif
